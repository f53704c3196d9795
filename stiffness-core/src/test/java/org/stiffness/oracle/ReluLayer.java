package org.stiffness.oracle;

/**
 * Element-wise {@code max(0, x)} on any shape. The derivative at exactly 0 is taken as 0, as in
 * PyTorch; finite-difference checks must keep inputs away from 0 (see {@link
 * OracleNet#kinkMargin}).
 */
public final class ReluLayer implements OracleLayer {
  private final int[] shape;

  public ReluLayer(int[] shape) {
    this.shape = shape.clone();
  }

  @Override
  public int[] inputShape() {
    return shape.clone();
  }

  @Override
  public int[] outputShape() {
    return shape.clone();
  }

  @Override
  public double[] forward(double[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.max(0.0, x[i]);
    }
    return y;
  }

  @Override
  public double[] backward(double[] x, double[] dy, double[] grad, int offset) {
    double[] dx = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      dx[i] = x[i] > 0 ? dy[i] : 0.0;
    }
    return dx;
  }
}
