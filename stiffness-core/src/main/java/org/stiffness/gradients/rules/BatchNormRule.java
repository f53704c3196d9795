package org.stiffness.gradients.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.lang.reflect.Field;
import org.stiffness.gradients.LayerGradient;

/**
 * BatchNorm in inference mode: with running statistics it is a per-channel affine map of each
 * example alone, so per-example gradients are well defined (in training mode the batch statistics
 * mix examples and per-example gradients lose their meaning).
 */
final class BatchNormRule implements GradientRule<BatchNorm> {

  @Override
  public LayerGradient perExampleGradient(
      BatchNorm layer, String path, ParameterStore store, NDList saved, NDArray outputGradient) {
    var parameters = layer.getDirectParameters();
    var gamma = parameters.get("gamma");
    var beta = parameters.get("beta");
    NDArray xhat = NormalisedInput.of(layer, store, saved, gamma, beta);
    int axis = channelAxis(layer, xhat.getShape().dimension());
    return AffineNormGradient.of(path, xhat, outputGradient, new int[] {axis}, gamma, beta);
  }

  /** DJL keeps the channel axis private; 1 (NCHW) is its default. */
  private static int channelAxis(BatchNorm layer, int rank) {
    try {
      Field field = BatchNorm.class.getDeclaredField("axis");
      field.setAccessible(true);
      int axis = field.getInt(layer);
      return axis < 0 ? axis + rank : axis;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return 1;
    }
  }
}
