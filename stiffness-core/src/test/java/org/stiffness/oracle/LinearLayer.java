package org.stiffness.oracle;

import java.util.List;

/**
 * Fully connected layer {@code y = W x + b} with DJL's layout: weight {@code (out, in)} row-major,
 * bias {@code (out)}.
 */
public final class LinearLayer implements OracleLayer {
  private final int in;
  private final int out;
  private final double[] weight;
  private final double[] bias;

  /** A layer with all parameters zero; see {@link OracleNet#randomize}. */
  public LinearLayer(int in, int out) {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException("in and out must be positive: " + in + ", " + out);
    }
    this.in = in;
    this.out = out;
    this.weight = new double[OracleLayer.size(out, in)];
    this.bias = new double[out];
  }

  @Override
  public int[] inputShape() {
    return new int[] {in};
  }

  @Override
  public int[] outputShape() {
    return new int[] {out};
  }

  @Override
  public List<double[]> parameters() {
    return List.of(weight, bias);
  }

  @Override
  public List<int[]> parameterShapes() {
    return List.of(new int[] {out, in}, new int[] {out});
  }

  @Override
  public double[] forward(double[] x) {
    double[] y = new double[out];
    for (int o = 0; o < out; o++) {
      double s = bias[o];
      int row = o * in;
      for (int i = 0; i < in; i++) {
        s += weight[row + i] * x[i];
      }
      y[o] = s;
    }
    return y;
  }

  @Override
  public double[] backward(double[] x, double[] dy, double[] grad, int offset) {
    // dL/dW = dy x^T (outer product, (out, in)); dL/db = dy; dL/dx = W^T dy.
    int biasOffset = offset + weight.length;
    double[] dx = new double[in];
    for (int o = 0; o < out; o++) {
      int row = o * in;
      for (int i = 0; i < in; i++) {
        grad[offset + row + i] = dy[o] * x[i];
        dx[i] += weight[row + i] * dy[o];
      }
      grad[biasOffset + o] = dy[o];
    }
    return dx;
  }
}
