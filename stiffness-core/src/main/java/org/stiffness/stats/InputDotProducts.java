package org.stiffness.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The dot products {@code X Y^T} of flattened inputs as float64 matrix products on the engine, one
 * block of rows at a time. Why: cosine distances of N inputs of width D cost N^2 D multiply-adds;
 * at N = 16384 on the Fashion-MNIST width that is 2e11, over half a minute in a Java loop and a few
 * seconds in BLAS. float x float is exact in float64 and the sums are float64, so the values differ
 * from a sequential float64 loop only by summation order (relative 1e-16), far below the float the
 * distances are stored in.
 */
final class InputDotProducts {
  /** Bytes of float64 products per block of rows. */
  private static final long BLOCK_BYTES = 64L << 20;

  /** Receives the products of rows {@code [from, from + count)} with every column, row-major. */
  @FunctionalInterface
  interface RowBlock {
    void accept(int from, int count, double[] dots);
  }

  private InputDotProducts() {}

  static void compute(
      float[] x, int rows, float[] y, int cols, int dim, NDManager parent, RowBlock sink) {
    compute(x, rows, y, cols, dim, parent, BLOCK_BYTES, sink);
  }

  /** As above, with {@code blockBytes} of products per block (tests use small ones). */
  static void compute(
      float[] x,
      int rows,
      float[] y,
      int cols,
      int dim,
      NDManager parent,
      long blockBytes,
      RowBlock sink) {
    int perBlock = (int) Math.max(1, Math.min(rows, blockBytes / (8L * Math.max(1, cols))));
    try (NDManager m = parent.newSubManager()) {
      NDArray right = m.create(y, new Shape(cols, dim)).toType(DataType.FLOAT64, false);
      NDArray rightT = right.transpose();
      NDArray left =
          x == y ? right : m.create(x, new Shape(rows, dim)).toType(DataType.FLOAT64, false);
      for (int from = 0; from < rows; from += perBlock) {
        int count = Math.min(perBlock, rows - from);
        try (NDManager block = m.newSubManager()) {
          NDArray rowsOf = left.get(from + ":" + (from + count));
          rowsOf.attach(block);
          NDArray dots = rowsOf.matMul(rightT);
          dots.attach(block);
          sink.accept(from, count, dots.toDoubleArray());
        }
      }
    }
  }
}
