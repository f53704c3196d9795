package org.stiffness.stats;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramSide;

/**
 * Per-pair sign and cosine stiffness of every (row, column) pair of a {@link GramMatrix}.
 *
 * <p>For a row example i of X and a column example j of Y: {@code sign_ij = sign(K_ij)} and {@code
 * cos_ij = K_ij / sqrt(|g_i|^2 |g_j|^2)}, clamped to {@code [-1, 1]} because rounding can push a
 * near-parallel pair just past 1.
 *
 * <p><b>Zero-gradient examples.</b> An example with {@code |g|^2 == 0} (a perfectly fitted example,
 * or one whose loss is flat) has no direction, so its cosine is undefined. Such examples are marked
 * invalid, listed by {@link #zeroNormRows()} / {@link #zeroNormCols()}, and every pair involving
 * them has {@code cos = 0}, {@code sign = 0} and is excluded from all statistics in this package. A
 * negative or non-finite squared norm is a bug upstream and raises an error instead.
 *
 * <p><b>Self-pairs.</b> Each example carries a {@code long} id, which the Gram matrix knows ({@link
 * GramMatrix#rowExamples()}); a pair with {@code rowId == colId} is the same example seen from both
 * sets (always {@code X = Y} on the diagonal, or an example in both sets of a rectangular pairing).
 * Its stiffness is 1 by construction, so the statistics skip it. The per-pair arrays still hold its
 * value.
 *
 * <p>Storage is two primitive row-major {@code (rows, cols)} arrays (5 bytes per pair), so {@code N
 * = 16384} costs about 1.3 GB.
 */
public final class PairStiffness {
  private final int rows;
  private final int cols;
  private final float[] cosine;
  private final byte[] sign;
  private final boolean[] rowValid;
  private final boolean[] colValid;
  private final GramSide rowExamples;
  private final GramSide colExamples;
  private final long[] rowIds;
  private final long[] colIds;
  private final int[] zeroNormRows;
  private final int[] zeroNormCols;
  private final long consideredPairs;
  private final long uncertainSignPairs;

  private PairStiffness(
      GramMatrix gram,
      long[] rowIds,
      long[] colIds,
      float[] cosine,
      byte[] sign,
      boolean[] rowValid,
      boolean[] colValid,
      long consideredPairs,
      long uncertainSignPairs) {
    this.rows = gram.rows();
    this.cols = gram.cols();
    this.rowExamples = gram.rowExamples();
    this.colExamples = gram.colExamples();
    this.rowIds = rowIds;
    this.colIds = colIds;
    this.cosine = cosine;
    this.sign = sign;
    this.rowValid = rowValid;
    this.colValid = colValid;
    this.zeroNormRows = invalidIndices(rowValid);
    this.zeroNormCols = invalidIndices(colValid);
    this.consideredPairs = consideredPairs;
    this.uncertainSignPairs = uncertainSignPairs;
  }

  /**
   * Sign and cosine stiffness of every pair of a Gram matrix; the examples' ids, which decide the
   * self-pairs, come from the matrix.
   *
   * @param gram Gram matrix {@code (rows, cols)} of per-example gradients
   * @throws IllegalArgumentException if a squared gradient norm is negative or not finite, or an
   *     entry of a valid pair is not finite (the message names the example)
   */
  public static PairStiffness of(GramMatrix gram) {
    Objects.requireNonNull(gram, "gram");
    int rows = gram.rows();
    int cols = gram.cols();
    long[] rowIds = gram.rowExamples().ids();
    long[] colIds = gram.colExamples() == gram.rowExamples() ? rowIds : gram.colExamples().ids();
    double[] rowInvNorm = inverseNorms(gram, true);
    double[] colInvNorm = inverseNorms(gram, false);
    boolean[] rowValid = new boolean[rows];
    boolean[] colValid = new boolean[cols];
    for (int i = 0; i < rows; i++) {
      rowValid[i] = rowInvNorm[i] > 0;
    }
    for (int j = 0; j < cols; j++) {
      colValid[j] = colInvNorm[j] > 0;
    }

    float[] k = gram.values();
    float[] cosine = new float[k.length];
    byte[] sign = new byte[k.length];
    double[] colErrorScale = new double[cols];
    for (int j = 0; j < cols; j++) {
      colErrorScale[j] = gram.colErrorScale(j);
    }
    long[] consideredPerRow = new long[rows];
    long[] uncertainPerRow = new long[rows];
    // Rows are independent: split them over the cores (N = 8192 is 67M pairs).
    IntStream.range(0, rows)
        .parallel()
        .forEach(
            i -> {
              if (!rowValid[i]) {
                return; // cos and sign stay 0 for the whole row
              }
              int base = i * cols;
              double ri = rowInvNorm[i];
              long rowId = rowIds[i];
              double rowBound = PairTerms.rowBound(gram.relativeError(), gram.rowErrorScale(i));
              long considered = 0;
              long uncertain = 0;
              for (int j = 0; j < cols; j++) {
                if (!colValid[j]) {
                  continue;
                }
                float kij = k[base + j];
                if (!Float.isFinite(kij)) {
                  throw new IllegalArgumentException(
                      "Gram entry (" + i + ", " + j + ") is not finite: " + kij);
                }
                cosine[base + j] = PairTerms.cosine(kij, ri, colInvNorm[j]);
                sign[base + j] = (byte) PairTerms.sign(kij);
                if (!PairTerms.selfPair(rowId, colIds[j])) {
                  considered++;
                  if (PairTerms.uncertainSign(kij, rowBound, colErrorScale[j])) {
                    uncertain++;
                  }
                }
              }
              consideredPerRow[i] = considered;
              uncertainPerRow[i] = uncertain;
            });
    long considered = LongStream.of(consideredPerRow).sum();
    long uncertain = LongStream.of(uncertainPerRow).sum();
    return new PairStiffness(
        gram, rowIds, colIds, cosine, sign, rowValid, colValid, considered, uncertain);
  }

  /** {@code 1/|g|} per example, or 0 for a zero gradient (the invalid marker). */
  private static double[] inverseNorms(GramMatrix gram, boolean rowSide) {
    int n = rowSide ? gram.rows() : gram.cols();
    double[] inv = new double[n];
    for (int i = 0; i < n; i++) {
      double sq = rowSide ? gram.rowSquaredNorm(i) : gram.colSquaredNorm(i);
      if (!Double.isFinite(sq) || sq < 0) {
        throw new IllegalArgumentException(
            (rowSide ? "row" : "column")
                + " example "
                + i
                + " has squared gradient norm "
                + sq
                + "; expected a finite value >= 0");
      }
      inv[i] = PairTerms.inverseNorm(sq);
    }
    return inv;
  }

  private static int[] invalidIndices(boolean[] valid) {
    int[] out = new int[valid.length];
    int n = 0;
    for (int i = 0; i < valid.length; i++) {
      if (!valid[i]) {
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Number of row examples (set X). */
  public int rows() {
    return rows;
  }

  /** Number of column examples (set Y). */
  public int cols() {
    return cols;
  }

  /** Cosine stiffness of pair (i, j), in {@code [-1, 1]}; 0 if the pair is invalid. */
  public float cosine(int i, int j) {
    return cosine[i * cols + j];
  }

  /** Sign stiffness of pair (i, j), in {-1, 0, 1}; 0 if the pair is invalid. */
  public byte sign(int i, int j) {
    return sign[i * cols + j];
  }

  /**
   * Row-major {@code (rows, cols)} cosine stiffness; the backing array, not copied: do not modify.
   */
  public float[] cosineValues() {
    return cosine;
  }

  /**
   * Row-major {@code (rows, cols)} sign stiffness; the backing array, not copied: do not modify.
   */
  public byte[] signValues() {
    return sign;
  }

  /** True unless row example i has a zero gradient. */
  public boolean rowValid(int i) {
    return rowValid[i];
  }

  /** True unless column example j has a zero gradient. */
  public boolean colValid(int j) {
    return colValid[j];
  }

  /** True when both examples of pair (i, j) have non-zero gradients. */
  public boolean valid(int i, int j) {
    return rowValid[i] && colValid[j];
  }

  /** True when row i and column j are the same example (equal ids). */
  public boolean selfPair(int i, int j) {
    return rowIds[i] == colIds[j];
  }

  /** The row examples X (ids and class labels), those of the Gram matrix. */
  public GramSide rowExamples() {
    return rowExamples;
  }

  /** The column examples Y, those of the Gram matrix ({@link #rowExamples()} for X = X). */
  public GramSide colExamples() {
    return colExamples;
  }

  /** Id of row example i. */
  public long rowId(int i) {
    return rowIds[i];
  }

  /** Id of column example j. */
  public long colId(int j) {
    return colIds[j];
  }

  /** Indices of row examples with a zero gradient, ascending (copy). */
  public int[] zeroNormRows() {
    return zeroNormRows.clone();
  }

  /** Indices of column examples with a zero gradient, ascending (copy). */
  public int[] zeroNormCols() {
    return zeroNormCols.clone();
  }

  /** Number of valid, non-self pairs: the pairs every statistic averages over. */
  public long consideredPairs() {
    return consideredPairs;
  }

  /**
   * Number of valid, non-self pairs whose sign is uncertain at the precision of the Gram matrix
   * ({@link GramMatrix#signUncertain(int, int)}): their sign stiffness is a coin toss of rounding.
   */
  public long uncertainSignPairs() {
    return uncertainSignPairs;
  }

  // Package-private views for the statistics in this package: tight loops read the arrays directly.
  boolean[] rowValidity() {
    return rowValid;
  }

  boolean[] colValidity() {
    return colValid;
  }

  long[] rowIdArray() {
    return rowIds;
  }

  long[] colIdArray() {
    return colIds;
  }
}
