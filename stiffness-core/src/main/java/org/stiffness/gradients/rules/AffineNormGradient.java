package org.stiffness.gradients.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import java.util.stream.IntStream;
import org.stiffness.gradients.DenseGradient;
import org.stiffness.gradients.LayerGradient;

/**
 * Per-example gradients of {@code y = gamma * xhat + beta}: {@code dL/dgamma = sum d * xhat} and
 * {@code dL/dbeta = sum d}, summed over every axis that is neither the example axis nor a parameter
 * axis. Shared by BatchNorm (inference mode) and LayerNorm.
 */
final class AffineNormGradient {
  private AffineNormGradient() {}

  /**
   * @param parameterAxes the axes of xhat that gamma and beta span, ascending
   */
  static LayerGradient of(
      String path,
      NDArray xhat,
      NDArray outputGradient,
      int[] parameterAxes,
      Parameter gamma,
      Parameter beta) {
    int rank = xhat.getShape().dimension();
    int[] summed =
        IntStream.range(1, rank)
            .filter(axis -> IntStream.of(parameterAxes).noneMatch(p -> p == axis))
            .toArray();
    long batch = xhat.getShape().get(0);
    NDList parts = new NDList(2);
    if (gamma != null && gamma.requiresGradient()) {
      parts.add(sum(outputGradient.mul(xhat), summed).reshape(batch, -1));
    }
    if (beta != null && beta.requiresGradient()) {
      parts.add(sum(outputGradient, summed).reshape(batch, -1));
    }
    if (parts.isEmpty()) {
      return null;
    }
    return new DenseGradient(path, parts.size() == 1 ? parts.head() : NDArrays.concat(parts, 1));
  }

  private static NDArray sum(NDArray array, int[] axes) {
    return axes.length == 0 ? array : array.sum(axes);
  }
}
