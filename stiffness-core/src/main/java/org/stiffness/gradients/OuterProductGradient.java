package org.stiffness.gradients;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Gradient of a weight used as {@code y_t = W a_t (+ b)} at T positions: {@code dL/dW = sum_t d_t
 * a_t^T} and {@code dL/db = sum_t d_t}, where a_t is the layer input at position t and d_t the loss
 * gradient at its output. Linear layers (T = 1, or T tokens) and convolutions (T = output pixels,
 * a_t = im2col patch) have this form.
 *
 * @param layer path of the layer
 * @param activations a, shape {@code (B, T, dIn)}
 * @param outputGradients d, shape {@code (B, T, dOut)}
 * @param bias whether the layer has a bias (its gradient is {@code sum_t d_t})
 */
public record OuterProductGradient(
    String layer, NDArray activations, NDArray outputGradients, boolean bias)
    implements LayerGradient {

  /**
   * @throws IllegalArgumentException unless both arrays are {@code (B, T, *)} with the same B and T
   */
  public OuterProductGradient {
    Shape a = activations.getShape();
    Shape d = outputGradients.getShape();
    if (a.dimension() != 3 || d.dimension() != 3 || a.get(0) != d.get(0) || a.get(1) != d.get(1)) {
      throw new IllegalArgumentException(
          layer + ": activations " + a + " and output gradients " + d + " must be (B, T, *)");
    }
  }

  @Override
  public int batchSize() {
    return Math.toIntExact(activations.getShape().get(0));
  }

  /** Number of positions T summed over. */
  public long positions() {
    return activations.getShape().get(1);
  }

  /** Input width dIn. */
  public long inputWidth() {
    return activations.getShape().get(2);
  }

  /** Output width dOut. */
  public long outputWidth() {
    return outputGradients.getShape().get(2);
  }

  @Override
  public long parameterCount() {
    return outputWidth() * (inputWidth() + (bias ? 1 : 0));
  }

  @Override
  public NDArray materialise() {
    List<NDArray> parts = materialisedParts();
    return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 1);
  }

  /**
   * The weight gradients {@code (B, dOut*dIn)} and, with a bias, its gradients {@code (B, dOut)}.
   */
  @Override
  public List<NDArray> materialisedParts() {
    NDArray weight =
        outputGradients.transpose(0, 2, 1).batchMatMul(activations).reshape(batchSize(), -1);
    return bias ? List.of(weight, outputGradients.sum(new int[] {1})) : List.of(weight);
  }
}
