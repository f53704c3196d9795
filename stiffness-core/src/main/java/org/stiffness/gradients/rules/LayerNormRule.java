package org.stiffness.gradients.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.stiffness.gradients.LayerGradient;

/**
 * LayerNorm: each example (each token) is normalised on its own, so the batched gradient of the
 * affine part splits exactly into per-example sums over the remaining positions.
 */
final class LayerNormRule implements GradientRule<LayerNorm> {

  @Override
  public String unsupportedReason(LayerNorm layer) {
    int[] axes = explicitAxes(layer);
    if (axes != null && !isAscending(axes)) {
      return "LayerNorm axes " + Arrays.toString(axes) + " not in ascending order";
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
    int[] axes = explicitAxes(layer);
    if (axes == null) {
      // DJL normalises over every axis but the first when no axis is given.
      axes = IntStream.range(1, rank).toArray();
    } else {
      axes = IntStream.of(axes).map(a -> a < 0 ? a + rank : a).toArray();
    }
    return AffineNormGradient.of(path, xhat, outputGradient, axes, gamma, beta);
  }

  /** DJL keeps the normalised axes in a protected field; null means "all but the first". */
  private static int[] explicitAxes(LayerNorm layer) {
    try {
      Field field = LayerNorm.class.getDeclaredField("axis");
      field.setAccessible(true);
      return (int[]) field.get(layer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
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
