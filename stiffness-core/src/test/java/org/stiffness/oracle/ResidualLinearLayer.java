package org.stiffness.oracle;

import java.util.List;

/**
 * A residual unit {@code y = x + W x + b} on {@code (features)}: the float64 twin of DJL's {@code
 * ParallelBlock} adding a {@code Linear(features)} branch to an identity branch. Parameters as
 * {@link LinearLayer}'s: weight {@code (features, features)} row-major, then bias.
 */
public final class ResidualLinearLayer implements OracleLayer {
  private final LinearLayer branch;
  private final int features;

  /** A unit with all parameters zero. */
  public ResidualLinearLayer(int features) {
    this.branch = new LinearLayer(features, features);
    this.features = features;
  }

  @Override
  public int[] inputShape() {
    return new int[] {features};
  }

  @Override
  public int[] outputShape() {
    return new int[] {features};
  }

  @Override
  public List<double[]> parameters() {
    return branch.parameters();
  }

  @Override
  public List<int[]> parameterShapes() {
    return branch.parameterShapes();
  }

  @Override
  public double[] forward(double[] x) {
    double[] y = branch.forward(x);
    for (int i = 0; i < features; i++) {
      y[i] += x[i];
    }
    return y;
  }

  @Override
  public double[] backward(double[] x, double[] dy, double[] grad, int offset) {
    // The branch's gradients as a linear layer's; dL/dx = dy (identity) + W^T dy (branch).
    double[] dx = branch.backward(x, dy, grad, offset);
    for (int i = 0; i < features; i++) {
      dx[i] += dy[i];
    }
    return dx;
  }
}
