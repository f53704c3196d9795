package org.stiffness.gradients.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import org.stiffness.gradients.LayerGradient;

/**
 * BatchNorm in inference mode: with running statistics it is a per-channel affine map of each
 * example alone, so per-example gradients are well defined (in training mode the batch statistics
 * mix examples and per-example gradients lose their meaning).
 */
final class BatchNormRule implements GradientRule<BatchNorm> {
  private final LayerField<BatchNorm, Integer> channelAxis;

  BatchNormRule() {
    // DJL keeps the channel axis private.
    this(LayerField.of(BatchNorm.class, "axis", Integer.class));
  }

  /**
   * @param channelAxis reads the layer's channel axis (negative counts from the end)
   */
  BatchNormRule(LayerField<BatchNorm, Integer> channelAxis) {
    this.channelAxis = channelAxis;
  }

  @Override
  public String unsupportedReason(BatchNorm layer) {
    try {
      channelAxis.read(layer);
      return null;
    } catch (ReflectiveOperationException e) {
      return unreadableAxis(e);
    }
  }

  @Override
  public LayerGradient perExampleGradient(
      BatchNorm layer, String path, ParameterStore store, NDList saved, NDArray outputGradient) {
    var parameters = layer.getDirectParameters();
    var gamma = parameters.get("gamma");
    var beta = parameters.get("beta");
    NDArray xhat = NormalisedInput.of(layer, store, saved, gamma, beta);
    int rank = xhat.getShape().dimension();
    int axis;
    try {
      axis = channelAxis.read(layer);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(path + ": " + unreadableAxis(e), e);
    }
    return AffineNormGradient.of(
        path, xhat, outputGradient, new int[] {axis < 0 ? axis + rank : axis}, gamma, beta);
  }

  private static String unreadableAxis(ReflectiveOperationException e) {
    return "its channel axis cannot be read ("
        + LayerField.describe(e)
        + "), and the per-channel gradients need it";
  }
}
