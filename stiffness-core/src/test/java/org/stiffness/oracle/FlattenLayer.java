package org.stiffness.oracle;

/**
 * {@code (C, H, W) -> (C*H*W)} in row-major order, i.e. DJL's {@code batchFlatten} for one example.
 * The flat data is unchanged; only the declared shape differs.
 */
public final class FlattenLayer implements OracleLayer {
  private final int[] inputShape;

  public FlattenLayer(int[] inputShape) {
    this.inputShape = inputShape.clone();
  }

  @Override
  public int[] inputShape() {
    return inputShape.clone();
  }

  @Override
  public int[] outputShape() {
    return new int[] {OracleLayer.size(inputShape)};
  }

  @Override
  public double[] forward(double[] x) {
    return x.clone();
  }

  @Override
  public double[] backward(double[] x, double[] dy, double[] grad, int offset) {
    return dy.clone();
  }
}
