package org.stiffness.oracle;

import java.util.List;

/**
 * One stage of an {@link OracleNet}, for a single example, in float64.
 *
 * <p>A layer holds no activation state: {@link #backward} receives the same input that {@link
 * #forward} saw, so that the network alone decides what to keep and the layers stay re-entrant.
 * Tensors are flat {@code double[]} in row-major order of {@link #inputShape()} / {@link
 * #outputShape()}, which never include a batch axis.
 */
public interface OracleLayer {

  /** Shape of one example's input, e.g. {@code (C, H, W)} or {@code (features)}. */
  int[] inputShape();

  /** Shape of one example's output. */
  int[] outputShape();

  /**
   * The live parameter arrays in DJL order (weight, then bias), or an empty list for a layer
   * without parameters. Writing into them changes the layer.
   */
  default List<double[]> parameters() {
    return List.of();
  }

  /** Shapes of {@link #parameters()}, same order, e.g. {@code (out, in)} then {@code (out)}. */
  default List<int[]> parameterShapes() {
    return List.of();
  }

  /** Total number of scalars over {@link #parameters()}. */
  default int parameterCount() {
    int count = 0;
    for (double[] p : parameters()) {
      count += p.length;
    }
    return count;
  }

  /**
   * @param x input, length {@code size(inputShape())}
   * @return output, length {@code size(outputShape())}
   */
  double[] forward(double[] x);

  /**
   * Back-propagates one example.
   *
   * @param x the input given to {@link #forward} for this example
   * @param dy {@code dL/dy}, length {@code size(outputShape())}
   * @param grad receives {@code dL/dparameters} (weight row-major, then bias), written (not added)
   *     at {@code grad[offset .. offset + parameterCount())}
   * @param offset where this layer's block starts in {@code grad}
   * @return {@code dL/dx}, length {@code size(inputShape())}
   */
  double[] backward(double[] x, double[] dy, double[] grad, int offset);

  /** Number of scalars in a tensor of the given shape. */
  static int size(int... shape) {
    int n = 1;
    for (int d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }
}
