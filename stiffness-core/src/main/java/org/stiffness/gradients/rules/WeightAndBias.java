package org.stiffness.gradients.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import org.stiffness.gradients.DenseGradient;
import org.stiffness.gradients.LayerGradient;
import org.stiffness.gradients.OuterProductGradient;

/**
 * Picks the gradient form of a "weight" + optional "bias" layer from which of the two are
 * trainable: only trainable parameters belong to the per-example gradient.
 */
final class WeightAndBias {
  private WeightAndBias() {}

  /**
   * @param activations (B, T, dIn)
   * @param outputGradients (B, T, dOut)
   * @return the gradient, or null when neither parameter is trainable
   */
  static LayerGradient gradient(
      String path, ParameterList parameters, NDArray activations, NDArray outputGradients) {
    Parameter weight = parameters.get("weight");
    Parameter bias = parameters.contains("bias") ? parameters.get("bias") : null;
    boolean trainableBias = bias != null && bias.requiresGradient();
    if (weight.requiresGradient()) {
      return new OuterProductGradient(path, activations, outputGradients, trainableBias);
    }
    return trainableBias ? new DenseGradient(path, outputGradients.sum(new int[] {1})) : null;
  }
}
