package org.stiffness.gradients.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import org.stiffness.gradients.LayerGradient;

/**
 * Linear layer {@code y = W x + b} on {@code (B, dIn)} or {@code (B, ..., dIn)}: every position t
 * contributes {@code d_t x_t^T}, so the gradient is an outer product summed over positions.
 */
final class LinearRule implements GradientRule<Linear> {

  @Override
  public LayerGradient perExampleGradient(
      Linear layer, String path, ParameterStore store, NDList saved, NDArray outputGradient) {
    NDArray x = saved.singletonOrThrow();
    long batch = x.getShape().get(0);
    long inputWidth = x.getShape().get(x.getShape().dimension() - 1);
    long outputWidth = outputGradient.getShape().get(outputGradient.getShape().dimension() - 1);
    return WeightAndBias.gradient(
        path,
        layer.getDirectParameters(),
        x.reshape(batch, -1, inputWidth),
        outputGradient.reshape(batch, -1, outputWidth));
  }
}
