package org.stiffness.gradients;

import ai.djl.ndarray.NDArray;

/**
 * Per-example gradients already held densely, {@code (B, P_l)}: the form of small parameter vectors
 * (normalisation scales and shifts) and of the batch-of-one extractor.
 *
 * @param layer path of the layer (or "model" for all parameters at once)
 * @param gradients shape {@code (B, P_l)}
 */
public record DenseGradient(String layer, NDArray gradients) implements LayerGradient {

  /**
   * @throws IllegalArgumentException when the gradients are not {@code (B, P)}
   */
  public DenseGradient {
    if (gradients.getShape().dimension() != 2) {
      throw new IllegalArgumentException(
          layer + ": dense gradients must be (B, P), got " + gradients.getShape());
    }
  }

  @Override
  public int batchSize() {
    return Math.toIntExact(gradients.getShape().get(0));
  }

  @Override
  public long parameterCount() {
    return gradients.getShape().get(1);
  }

  @Override
  public NDArray materialise() {
    return gradients;
  }
}
