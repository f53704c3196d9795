package org.stiffness.datasets.preprocess;

import java.nio.FloatBuffer;
import org.stiffness.datasets.LabelledImages;

/**
 * Per-feature standardisation x_f -> (x_f - mean_f) / std_f with statistics from a training set, as
 * in the paper. Statistics are the population mean and variance (divisor N), accumulated in double
 * precision.
 *
 * <p>A feature with zero variance on the training set (e.g. an MNIST border pixel that is always
 * black) is only centred: dividing by zero would turn it into NaN, and leaving it at 0 after
 * centring keeps it out of the way of the other features.
 */
public final class Standardization {

  private final double[] mean;
  private final double[] scale;
  private final boolean[] constant;

  private Standardization(double[] mean, double[] scale, boolean[] constant) {
    this.mean = mean;
    this.scale = scale;
    this.constant = constant;
  }

  /**
   * Computes per-feature mean and standard deviation of a training set.
   *
   * @param train (N, D) examples; N must be positive
   */
  public static Standardization fit(LabelledImages train) {
    int n = train.size();
    int d = train.featureCount();
    if (n == 0) {
      throw new IllegalArgumentException(train.name() + ": cannot standardise with 0 examples");
    }
    FloatBuffer x = train.pixels();
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < d; f++) {
        mean[f] += x.get(i * d + f);
      }
    }
    for (int f = 0; f < d; f++) {
      mean[f] /= n;
    }
    // Two passes: the one-pass E[x^2] - E[x]^2 cancels badly for nearly constant pixels.
    double[] var = new double[d];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < d; f++) {
        double c = x.get(i * d + f) - mean[f];
        var[f] += c * c;
      }
    }
    double[] scale = new double[d];
    boolean[] constant = new boolean[d];
    for (int f = 0; f < d; f++) {
      double std = Math.sqrt(var[f] / n);
      constant[f] = std == 0;
      scale[f] = constant[f] ? 1 : 1 / std;
    }
    return new Standardization(mean, scale, constant);
  }

  /** Per-feature training mean, (D). */
  public double[] mean() {
    return mean.clone();
  }

  /** Per-feature training standard deviation, (D); 0 for a constant feature. */
  public double[] std() {
    double[] std = new double[scale.length];
    for (int f = 0; f < std.length; f++) {
      std[f] = constant[f] ? 0 : 1 / scale[f];
    }
    return std;
  }

  /** Whether feature f had zero variance on the training set and is therefore only centred. */
  public boolean isConstant(int f) {
    return constant[f];
  }

  /**
   * Applies the training statistics to any split of the same shape.
   *
   * @param data (N, D) examples with the training set's D
   * @return the standardised examples, named {@code data.name() + "+std"}
   */
  public LabelledImages apply(LabelledImages data) {
    int d = data.featureCount();
    if (d != mean.length) {
      throw new IllegalArgumentException(
          data.name() + ": " + d + " features, statistics were fitted on " + mean.length);
    }
    float[] x = data.copyPixels();
    for (int i = 0; i < data.size(); i++) {
      for (int f = 0; f < d; f++) {
        x[i * d + f] = (float) ((x[i * d + f] - mean[f]) * scale[f]);
      }
    }
    return data.withPixels(x, data.name() + "+std");
  }
}
