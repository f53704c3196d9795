package org.stiffness.stats;

import ai.djl.ndarray.NDManager;
import java.util.Objects;
import java.util.stream.IntStream;
import org.stiffness.stats.internal.Checks;

/**
 * Input-space cosine distances {@code d(x1, x2) = 1 - x1.x2 / (|x1| |x2|)}, in {@code [0, 2]},
 * between every row example of X and column example of Y (paper, "Input distance").
 *
 * <p>Held as a row-major {@code (rows, cols)} float array aligned with {@link PairStiffness}, so it
 * is computed once and shared by {@link DistanceProfile} and {@link CriticalLength}.
 */
public final class InputDistances {
  private final int rows;
  private final int cols;
  private final float[] values;

  /**
   * Wraps precomputed distances.
   *
   * @param rows number of row examples
   * @param cols number of column examples
   * @param values row-major {@code (rows, cols)} distances in {@code [0, 2]}; not copied
   */
  public InputDistances(int rows, int cols, float[] values) {
    Objects.requireNonNull(values, "values");
    if ((long) rows * cols != values.length) {
      throw new IllegalArgumentException(
          "values has length " + values.length + ", expected rows*cols = " + (long) rows * cols);
    }
    for (int k = 0; k < values.length; k++) {
      if (!(values[k] >= 0 && values[k] <= 2)) { // also rejects NaN
        throw new IllegalArgumentException(
            "distance (" + k / cols + ", " + k % cols + ") = " + values[k] + " is outside [0, 2]");
      }
    }
    this.rows = rows;
    this.cols = cols;
    this.values = values;
  }

  /**
   * Computes cosine distances between flattened inputs. Dot products accumulate in double, each in
   * input order; rows are processed in parallel and every entry is written by exactly one task, so
   * the result is deterministic. When X and Y are the same array only half of the dot products are
   * computed.
   *
   * @param rowInputs row-major {@code (rows, dim)} flattened inputs of X
   * @param rows number of row examples
   * @param colInputs row-major {@code (cols, dim)} flattened inputs of Y (may be the same array)
   * @param cols number of column examples
   * @param dim input dimension D
   * @throws IllegalArgumentException if an input vector is zero or not finite (names the example)
   */
  public static InputDistances cosine(
      float[] rowInputs, int rows, float[] colInputs, int cols, int dim) {
    requireShapes(rowInputs, rows, colInputs, cols, dim);
    double[] rowInv = inverseNorms("row", rowInputs, rows, dim);
    boolean symmetric = rowInputs == colInputs && rows == cols;
    double[] colInv = symmetric ? rowInv : inverseNorms("column", colInputs, cols, dim);
    float[] out = new float[Math.multiplyExact(rows, cols)];
    // Row i and row rows-1-i in one task: with symmetry row i has cols-i dot products, so the pair
    // always has cols+1 and the two cores get equal halves.
    IntStream.range(0, (rows + 1) / 2)
        .parallel()
        .forEach(
            t -> {
              fillRow(t, rowInputs, colInputs, cols, dim, rowInv, colInv, symmetric, out);
              if (rows - 1 - t != t) {
                fillRow(
                    rows - 1 - t, rowInputs, colInputs, cols, dim, rowInv, colInv, symmetric, out);
              }
            });
    return new InputDistances(rows, cols, out);
  }

  /**
   * {@link #cosine(float[], int, float[], int, int)} with the dot products as float64 matrix
   * products on {@code manager}'s engine and device (BLAS instead of a Java loop, for large sets).
   * The values equal the Java loop's up to float64 summation order, so almost always bitwise once
   * stored as float; the same inputs give the same distances on the same machine.
   *
   * @throws IllegalArgumentException if an input vector is zero or not finite (names the example)
   */
  public static InputDistances cosine(
      float[] rowInputs, int rows, float[] colInputs, int cols, int dim, NDManager manager) {
    Objects.requireNonNull(manager, "manager");
    requireShapes(rowInputs, rows, colInputs, cols, dim);
    double[] rowInv = inverseNorms("row", rowInputs, rows, dim);
    double[] colInv =
        rowInputs == colInputs ? rowInv : inverseNorms("column", colInputs, cols, dim);
    float[] out = new float[Math.multiplyExact(rows, cols)];
    InputDotProducts.compute(
        rowInputs,
        rows,
        colInputs,
        cols,
        dim,
        manager,
        (from, count, dots) -> {
          for (int r = 0; r < count; r++) {
            int i = from + r;
            for (int j = 0; j < cols; j++) {
              out[i * cols + j] = distance(dots[r * cols + j], rowInv[i], colInv[j]);
            }
          }
        });
    return new InputDistances(rows, cols, out);
  }

  /**
   * Distances of row i to every column (to columns j >= i, mirrored, when X = Y). Four columns at a
   * time, each with its own accumulator summing k in order: the same operations in the same order
   * as one dot product at a time, so the values are bitwise those of the plain loop, but four
   * independent additions are in flight instead of one. A mirrored entry is scaled with its own
   * row's and column's inverse norms, in the plain loop's order, so it is bitwise that loop's too.
   */
  private static void fillRow(
      int i,
      float[] x,
      float[] y,
      int cols,
      int dim,
      double[] rowInv,
      double[] colInv,
      boolean symmetric,
      float[] out) {
    int a = i * dim;
    int j = symmetric ? i : 0;
    for (; j + 3 < cols; j += 4) {
      int b0 = j * dim;
      int b1 = b0 + dim;
      int b2 = b1 + dim;
      int b3 = b2 + dim;
      double d0 = 0;
      double d1 = 0;
      double d2 = 0;
      double d3 = 0;
      for (int k = 0; k < dim; k++) {
        double xk = x[a + k];
        d0 += xk * y[b0 + k];
        d1 += xk * y[b1 + k];
        d2 += xk * y[b2 + k];
        d3 += xk * y[b3 + k];
      }
      put(out, i, j, cols, d0, rowInv, colInv, symmetric);
      put(out, i, j + 1, cols, d1, rowInv, colInv, symmetric);
      put(out, i, j + 2, cols, d2, rowInv, colInv, symmetric);
      put(out, i, j + 3, cols, d3, rowInv, colInv, symmetric);
    }
    for (; j < cols; j++) {
      int b = j * dim;
      double dot = 0;
      for (int k = 0; k < dim; k++) {
        dot += (double) x[a + k] * y[b + k];
      }
      put(out, i, j, cols, dot, rowInv, colInv, symmetric);
    }
  }

  private static void put(
      float[] out,
      int i,
      int j,
      int cols,
      double dot,
      double[] rowInv,
      double[] colInv,
      boolean symmetric) {
    out[i * cols + j] = distance(dot, rowInv[i], colInv[j]);
    if (symmetric && j != i) {
      // x_i . x_j and x_j . x_i are the same products summed in the same order.
      out[j * cols + i] = distance(dot, rowInv[j], colInv[i]);
    }
  }

  /**
   * The plain loop's distances of chosen pairs, bitwise those of {@link #cosine(float[], int,
   * float[], int, int)}: pair p is row example {@code rowOf[p]} of x and column example {@code
   * colOf[p]} of y, each dot product summed in input order (four pairs at a time, one accumulator
   * each, as in {@link #fillRow}). For pairs {@code [from, to)}.
   *
   * @param rowInv the row examples' {@link #inverseNorms}, indexed like x
   * @param colInv the column examples' {@link #inverseNorms}, indexed like y
   */
  static void distancesOf(
      float[] x,
      float[] y,
      int dim,
      double[] rowInv,
      double[] colInv,
      int[] rowOf,
      int[] colOf,
      float[] out,
      int from,
      int to) {
    int p = from;
    for (; p + 3 < to; p += 4) {
      int a0 = rowOf[p] * dim;
      int a1 = rowOf[p + 1] * dim;
      int a2 = rowOf[p + 2] * dim;
      int a3 = rowOf[p + 3] * dim;
      int b0 = colOf[p] * dim;
      int b1 = colOf[p + 1] * dim;
      int b2 = colOf[p + 2] * dim;
      int b3 = colOf[p + 3] * dim;
      double d0 = 0;
      double d1 = 0;
      double d2 = 0;
      double d3 = 0;
      for (int k = 0; k < dim; k++) {
        d0 += (double) x[a0 + k] * y[b0 + k];
        d1 += (double) x[a1 + k] * y[b1 + k];
        d2 += (double) x[a2 + k] * y[b2 + k];
        d3 += (double) x[a3 + k] * y[b3 + k];
      }
      out[p] = distance(d0, rowInv[rowOf[p]], colInv[colOf[p]]);
      out[p + 1] = distance(d1, rowInv[rowOf[p + 1]], colInv[colOf[p + 1]]);
      out[p + 2] = distance(d2, rowInv[rowOf[p + 2]], colInv[colOf[p + 2]]);
      out[p + 3] = distance(d3, rowInv[rowOf[p + 3]], colInv[colOf[p + 3]]);
    }
    for (; p < to; p++) {
      int a = rowOf[p] * dim;
      int b = colOf[p] * dim;
      double dot = 0;
      for (int k = 0; k < dim; k++) {
        dot += (double) x[a + k] * y[b + k];
      }
      out[p] = distance(dot, rowInv[rowOf[p]], colInv[colOf[p]]);
    }
  }

  private static float distance(double dot, double rowInv, double colInv) {
    double d = 1 - dot * rowInv * colInv;
    // Rounding can leave [0, 2] by an ulp for (anti)parallel inputs.
    return (float) Math.max(0.0, Math.min(2.0, d));
  }

  static void requireShapes(float[] rowInputs, int rows, float[] colInputs, int cols, int dim) {
    Objects.requireNonNull(rowInputs, "rowInputs");
    Objects.requireNonNull(colInputs, "colInputs");
    if (dim < 1) {
      throw new IllegalArgumentException("dim = " + dim + ", expected >= 1");
    }
    Checks.requireLength("rowInputs", rowInputs.length, rows * dim);
    Checks.requireLength("colInputs", colInputs.length, cols * dim);
  }

  static double[] inverseNorms(String side, float[] x, int n, int dim) {
    double[] inv = new double[n];
    for (int i = 0; i < n; i++) {
      double sq = 0;
      for (int k = i * dim; k < (i + 1) * dim; k++) {
        sq += (double) x[k] * x[k];
      }
      if (!(sq > 0) || !Double.isFinite(sq)) {
        throw new IllegalArgumentException(
            side
                + " example "
                + i
                + " has input norm^2 = "
                + sq
                + "; cosine distance needs a non-zero finite input vector");
      }
      inv[i] = 1 / Math.sqrt(sq);
    }
    return inv;
  }

  /** Number of row examples. */
  public int rows() {
    return rows;
  }

  /** Number of column examples. */
  public int cols() {
    return cols;
  }

  /** Distance of pair (i, j), in {@code [0, 2]}. */
  public float get(int i, int j) {
    return values[i * cols + j];
  }

  /** Row-major {@code (rows, cols)} backing array, not copied: do not modify. */
  public float[] values() {
    return values;
  }

  void requireShape(PairStiffness pairs) {
    if (pairs.rows() != rows || pairs.cols() != cols) {
      throw new IllegalArgumentException(
          "distances are ("
              + rows
              + ", "
              + cols
              + ") but pair stiffness is ("
              + pairs.rows()
              + ", "
              + pairs.cols()
              + ")");
    }
  }
}
