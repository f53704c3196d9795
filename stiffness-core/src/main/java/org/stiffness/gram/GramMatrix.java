package org.stiffness.gram;

import java.util.Objects;

/**
 * The Gram matrix {@code K = G_X G_Y^T} of per-example loss gradients between two example sets X
 * (rows) and Y (columns), held on the host.
 *
 * <p>Entry {@code K[i, j] = g_i . g_j}, where {@code g_i} is the flattened gradient of the
 * per-example loss of X_i with respect to all trainable parameters. The squared norms {@code |g|^2}
 * of both sets are kept alongside, computed at the same precision as the off-diagonal entries so
 * that {@code |cos| <= 1} holds up to rounding.
 *
 * <p>The matrix knows its examples ({@link #rowExamples()}, {@link #colExamples()}: ids and class
 * labels in row and column order), so the statistics take them from it rather than from the caller.
 *
 * <p>Every entry carries a rounding-error bound {@code |K_computed - K_exact| <= relativeError *
 * rowErrorScale[i] * colErrorScale[j]}; a pair whose {@code |K[i, j]|} does not exceed it has an
 * uncertain sign at the precision used (see {@link #signUncertain(int, int)}).
 */
public final class GramMatrix {
  private final GramSide rowExamples;
  private final GramSide colExamples;
  private final int rows;
  private final int cols;
  private final float[] values;
  private final double[] rowSquaredNorms;
  private final double[] colSquaredNorms;
  private final double[] rowErrorScale;
  private final double[] colErrorScale;
  private final double relativeError;

  /**
   * @param rowExamples the examples of X, in row order ({@code rows = rowExamples.size()})
   * @param colExamples the examples of Y, in column order ({@code cols = colExamples.size()}); the
   *     same object as {@code rowExamples} for X = X
   * @param values row-major {@code (rows, cols)} entries {@code g_i . g_j}
   * @param rowSquaredNorms {@code |g_i|^2} for X, length {@code rows}
   * @param colSquaredNorms {@code |g_j|^2} for Y, length {@code cols}
   * @param rowErrorScale per-example error scale for X (same units as a gradient norm)
   * @param colErrorScale per-example error scale for Y
   * @param relativeError dimensionless factor of the error bound (depends on the precision)
   */
  public GramMatrix(
      GramSide rowExamples,
      GramSide colExamples,
      float[] values,
      double[] rowSquaredNorms,
      double[] colSquaredNorms,
      double[] rowErrorScale,
      double[] colErrorScale,
      double relativeError) {
    this.rowExamples = Objects.requireNonNull(rowExamples, "rowExamples");
    this.colExamples = Objects.requireNonNull(colExamples, "colExamples");
    int rows = rowExamples.size();
    int cols = colExamples.size();
    if ((long) rows * cols != values.length) {
      throw new IllegalArgumentException(
          "values has length " + values.length + ", expected rows*cols = " + (long) rows * cols);
    }
    requireLength("rowSquaredNorms", rowSquaredNorms, rows);
    requireLength("colSquaredNorms", colSquaredNorms, cols);
    requireLength("rowErrorScale", rowErrorScale, rows);
    requireLength("colErrorScale", colErrorScale, cols);
    this.rows = rows;
    this.cols = cols;
    this.values = values;
    this.rowSquaredNorms = rowSquaredNorms;
    this.colSquaredNorms = colSquaredNorms;
    this.rowErrorScale = rowErrorScale;
    this.colErrorScale = colErrorScale;
    this.relativeError = relativeError;
  }

  private static void requireLength(String name, double[] array, int expected) {
    Objects.requireNonNull(array, name);
    if (array.length != expected) {
      throw new IllegalArgumentException(
          name + " has length " + array.length + ", expected " + expected);
    }
  }

  /** The examples of X, in row order: ids and class labels. */
  public GramSide rowExamples() {
    return rowExamples;
  }

  /** The examples of Y, in column order ({@link #rowExamples()} itself for X = X). */
  public GramSide colExamples() {
    return colExamples;
  }

  /** Number of examples in X. */
  public int rows() {
    return rows;
  }

  /** Number of examples in Y. */
  public int cols() {
    return cols;
  }

  /** {@code g_i . g_j}. */
  public float get(int i, int j) {
    return values[i * cols + j];
  }

  /** Row-major {@code (rows, cols)} backing array, not copied. */
  public float[] values() {
    return values;
  }

  /** {@code |g_i|^2} for example i of X. */
  public double rowSquaredNorm(int i) {
    return rowSquaredNorms[i];
  }

  /** {@code |g_j|^2} for example j of Y. */
  public double colSquaredNorm(int j) {
    return colSquaredNorms[j];
  }

  /**
   * Per-example error scale of row example i: {@code errorBound(i, j) = relativeError() *
   * rowErrorScale(i) * colErrorScale(j)}.
   */
  public double rowErrorScale(int i) {
    return rowErrorScale[i];
  }

  /** Per-example error scale of column example j. */
  public double colErrorScale(int j) {
    return colErrorScale[j];
  }

  /** Upper bound on the absolute rounding error of {@code get(i, j)}. */
  public double errorBound(int i, int j) {
    return relativeError * rowErrorScale[i] * colErrorScale[j];
  }

  /** True when the sign of {@code g_i . g_j} cannot be trusted at the precision used. */
  public boolean signUncertain(int i, int j) {
    return Math.abs(get(i, j)) <= errorBound(i, j);
  }

  /** Dimensionless factor of {@link #errorBound(int, int)}. */
  public double relativeError() {
    return relativeError;
  }
}
