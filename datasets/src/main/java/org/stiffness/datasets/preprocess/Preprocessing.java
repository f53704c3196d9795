package org.stiffness.datasets.preprocess;

import java.util.Optional;
import java.util.function.UnaryOperator;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;

/**
 * The paper's input preprocessing, each step switchable: per-feature standardisation with
 * training-set statistics, then projection of every input to the unit sphere.
 *
 * @param standardize zero mean / unit variance per feature, statistics from the training set
 * @param unitSphere scale each input to unit L2 norm (after standardising, if both are on)
 */
public record Preprocessing(boolean standardize, boolean unitSphere) {

  /** Both steps, as in the paper. */
  public static final Preprocessing PAPER = new Preprocessing(true, true);

  /** Pixels as read, in [0, 1]. */
  public static final Preprocessing NONE = new Preprocessing(false, false);

  /**
   * Fits the statistics on a training set and returns the transform to apply to any split
   * (training, validation, test, subsets of them) of the same shape.
   */
  public Fitted fit(LabelledImages train) {
    return new Fitted(
        this, standardize ? Optional.of(Standardization.fit(train)) : Optional.empty());
  }

  /** Fits on {@code split.train()} and applies to both parts. */
  public TrainTestSplit apply(TrainTestSplit split) {
    Fitted fitted = fit(split.train());
    return new TrainTestSplit(fitted.apply(split.train()), fitted.apply(split.test()));
  }

  /**
   * Preprocessing with its training statistics fixed.
   *
   * @param settings which steps run
   * @param standardization the training statistics, present iff {@code settings.standardize()}
   */
  public record Fitted(Preprocessing settings, Optional<Standardization> standardization)
      implements UnaryOperator<LabelledImages> {

    @Override
    public LabelledImages apply(LabelledImages data) {
      LabelledImages out = data;
      if (standardization.isPresent()) {
        out = standardization.get().apply(out);
      }
      if (settings.unitSphere()) {
        out = SphereProjection.apply(out);
      }
      return out;
    }
  }
}
