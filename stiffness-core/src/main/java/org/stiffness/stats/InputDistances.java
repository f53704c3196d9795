package org.stiffness.stats;

import java.util.Objects;
import java.util.stream.IntStream;

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
   * Computes cosine distances between flattened inputs. Dot products accumulate in double; rows are
   * processed in parallel, each writing only its own slice, so the result is deterministic.
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
    Objects.requireNonNull(rowInputs, "rowInputs");
    Objects.requireNonNull(colInputs, "colInputs");
    if (dim < 1) {
      throw new IllegalArgumentException("dim = " + dim + ", expected >= 1");
    }
    Checks.requireLength("rowInputs", rowInputs.length, rows * dim);
    Checks.requireLength("colInputs", colInputs.length, cols * dim);
    double[] rowInv = inverseNorms("row", rowInputs, rows, dim);
    double[] colInv = inverseNorms("column", colInputs, cols, dim);
    float[] out = new float[Math.multiplyExact(rows, cols)];
    IntStream.range(0, rows)
        .parallel()
        .forEach(
            i -> {
              int a = i * dim;
              for (int j = 0; j < cols; j++) {
                int b = j * dim;
                double dot = 0;
                for (int k = 0; k < dim; k++) {
                  dot += (double) rowInputs[a + k] * colInputs[b + k];
                }
                double d = 1 - dot * rowInv[i] * colInv[j];
                // Rounding can leave [0, 2] by an ulp for (anti)parallel inputs.
                out[i * cols + j] = (float) Math.max(0.0, Math.min(2.0, d));
              }
            });
    return new InputDistances(rows, cols, out);
  }

  private static double[] inverseNorms(String side, float[] x, int n, int dim) {
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
