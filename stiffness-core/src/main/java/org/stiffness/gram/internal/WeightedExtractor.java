package org.stiffness.gram.internal;

import java.util.Objects;
import org.stiffness.gradients.GradientExtractor;

/**
 * One term of a Gram over several parameter sets, {@code K = sum_k w_k G_k G_k^T}: the extractor of
 * one set's per-example gradients (a checkpoint's frozen parameters) and its weight {@code w_k}.
 *
 * @param extractor per-example gradients at one parameter set
 * @param weight {@code w_k}, finite and positive; multiplied in as an fp32 number
 */
public record WeightedExtractor(GradientExtractor extractor, float weight) {
  /**
   * @throws IllegalArgumentException for a weight that is not finite and positive
   */
  public WeightedExtractor {
    Objects.requireNonNull(extractor, "extractor");
    if (!(weight > 0) || Float.isInfinite(weight)) {
      throw new IllegalArgumentException(
          "the weight of a Gram term must be finite and > 0, got " + weight);
    }
  }
}
