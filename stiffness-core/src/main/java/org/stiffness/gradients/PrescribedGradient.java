package org.stiffness.gradients;

import ai.djl.ndarray.NDArray;

/**
 * A per-example loss whose value and whose gradient are computed separately, for losses whose
 * autograd backward loses precision that a closed form keeps (softmax cross-entropy of well-fit
 * examples, {@link SoftmaxCrossEntropy}).
 *
 * <p>The result is {@code value - (sum_k (stop(x_k) - x_k) * stop(g_k) + 0)}: the subtracted term
 * is exactly {@code +0} for finite {@code x} (the {@code + 0} turns a {@code -0} sum into {@code
 * +0}), so the value keeps its bits, {@code -0} included, and its derivative with respect to {@code
 * x} is exactly {@code g}. Whatever backward pass starts from the result (the summed losses of the
 * probe path, one example of the batch-of-one loop, a training step's mean) then receives {@code
 * g}.
 */
public final class PrescribedGradient {
  private PrescribedGradient() {}

  /**
   * @param value the per-example loss, shape {@code (B)}; its own graph is cut off
   * @param input what the loss is a function of, shape {@code (B, ...)}, e.g. logits {@code (B,
   *     classes)}
   * @param gradient {@code dL_i/d input_i}, the shape of {@code input}; treated as a constant
   * @return {@code value} with backward {@code gradient} into {@code input}, shape {@code (B)}
   */
  public static NDArray of(NDArray value, NDArray input, NDArray gradient) {
    if (!input.getShape().equals(gradient.getShape())) {
      throw new IllegalArgumentException(
          "the gradient has shape " + gradient.getShape() + ", its input " + input.getShape());
    }
    // stop(x) - x rather than x alone: x * g would overflow for logits near fp32's largest value,
    // and its cancellation against stop(x * g) would turn the value into NaN.
    NDArray zeros = input.stopGradient().sub(input).mul(gradient.stopGradient());
    int[] perExampleAxes = new int[input.getShape().dimension() - 1];
    for (int axis = 1; axis <= perExampleAxes.length; axis++) {
      perExampleAxes[axis - 1] = axis;
    }
    // An empty axis list would sum over every axis, the batch included.
    NDArray perExample = perExampleAxes.length == 0 ? zeros : zeros.sum(perExampleAxes);
    return value.stopGradient().sub(perExample.add(perExample.zerosLike()));
  }
}
