package org.stiffness.gradients.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.stiffness.gradients.LayerGradient;

/**
 * LayerNorm: each example (each token) is normalised on its own, so the batched gradient of the
 * affine part splits exactly into per-example sums over the remaining positions.
 */
final class LayerNormRule implements GradientRule<LayerNorm> {
  private final LayerField<LayerNorm, int[]> axes;

  LayerNormRule() {
    // DJL keeps the normalised axes in a protected field; null there means "all but the first".
    this(LayerField.of(LayerNorm.class, "axis", int[].class));
  }

  /**
   * @param axes reads the layer's normalised axes (null: all but the first)
   */
  LayerNormRule(LayerField<LayerNorm, int[]> axes) {
    this.axes = axes;
  }

  @Override
  public String unsupportedReason(LayerNorm layer) {
    int[] explicit;
    try {
      explicit = axes.read(layer);
    } catch (ReflectiveOperationException e) {
      return unreadableAxes(e);
    }
    if (explicit != null && !isAscending(explicit)) {
      return "LayerNorm axes " + Arrays.toString(explicit) + " not in ascending order";
    }
    return null;
  }

  @Override
  public LayerGradient perExampleGradient(
      LayerNorm layer, String path, ParameterStore store, NDList saved, NDArray outputGradient) {
    var parameters = layer.getDirectParameters();
    var gamma = parameters.get("gamma");
    var beta = parameters.get("beta");
    NDArray xhat = NormalisedInput.of(layer, store, saved, gamma, beta);
    int rank = xhat.getShape().dimension();
    int[] explicit;
    try {
      explicit = axes.read(layer);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(path + ": " + unreadableAxes(e), e);
    }
    int[] normalised =
        explicit == null
            // DJL normalises over every axis but the first when no axis is given.
            ? IntStream.range(1, rank).toArray()
            : IntStream.of(explicit).map(a -> a < 0 ? a + rank : a).toArray();
    return AffineNormGradient.of(path, xhat, outputGradient, normalised, gamma, beta);
  }

  private static String unreadableAxes(ReflectiveOperationException e) {
    return "its normalised axes cannot be read ("
        + LayerField.describe(e)
        + "), and the gradients of gamma and beta need them";
  }

  private static boolean isAscending(int[] axes) {
    for (int i = 1; i < axes.length; i++) {
      if (axes[i] <= axes[i - 1]) {
        return false;
      }
    }
    return true;
  }
}
