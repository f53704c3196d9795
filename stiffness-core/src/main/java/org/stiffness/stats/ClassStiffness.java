package org.stiffness.stats;

import java.util.Objects;
import org.stiffness.stats.internal.Checks;

/**
 * The class stiffness matrix {@code C(a, b)}: mean stiffness over pairs (x1, x2) with x1 a row
 * example of class a, x2 a column example of class b, and {@code x1 != x2} (paper, "Class stiffness
 * matrix"). The diagonal is within-class stiffness, the off-diagonal between-class stiffness.
 *
 * <p>Pairs averaged: valid (non-zero gradient, see {@link PairStiffness}) and not self-pairs (equal
 * ids). The matrix is not symmetric in general for {@code X != Y}: rows are classes of X, columns
 * classes of Y.
 *
 * <p><b>Empty cells.</b> A cell with no pair (a class absent from one set, or a class of one
 * example when {@code X = Y}) has {@link #pairCount(int, int)} 0 and stiffness {@link Double#NaN}.
 * NaN never reaches JSON: {@code org.stiffness.io.JsonSummary} writes it as {@code null}. The
 * summaries {@link #withinClassStiffness} and {@link #betweenClassStiffness} average over the
 * non-empty cells only, which equals the paper's formulas when every cell has pairs.
 */
public final class ClassStiffness {
  private final int numClasses;
  private final long[] pairCounts;
  private final double[] sign;
  private final double[] cosine;
  private final long[] signSums;
  private final double[] cosineSums;

  private ClassStiffness(
      int numClasses,
      long[] pairCounts,
      double[] sign,
      double[] cosine,
      long[] signSums,
      double[] cosineSums) {
    this.numClasses = numClasses;
    this.pairCounts = pairCounts;
    this.sign = sign;
    this.cosine = cosine;
    this.signSums = signSums;
    this.cosineSums = cosineSums;
  }

  /**
   * The class stiffness matrix of the examples' own classes, the labels of the Gram matrix the
   * pairs come from ({@link PairStiffness#rowExamples()}, {@link PairStiffness#colExamples()}).
   *
   * @param pairs per-pair stiffness {@code (rows, cols)}
   * @param numClasses number of classes {@code n_c}; every label must lie in {@code [0, n_c)}
   * @throws IllegalArgumentException when a label lies outside {@code [0, n_c)}
   * @throws IllegalStateException when the examples' labels are not class indices
   */
  public static ClassStiffness of(PairStiffness pairs, int numClasses) {
    Objects.requireNonNull(pairs, "pairs");
    return compute(pairs, pairs.rowExamples().labels(), pairs.colExamples().labels(), numClasses);
  }

  /**
   * Averages per-pair stiffness by class pair, for classes given explicitly: another grouping of
   * the same examples (genre, say) than their labels, which {@link #of} takes.
   *
   * @param pairs per-pair stiffness {@code (rows, cols)}
   * @param rowLabels class of each row example, length {@code rows}, in {@code [0, numClasses)}
   * @param colLabels class of each column example, length {@code cols}, in {@code [0, numClasses)}
   * @param numClasses number of classes {@code n_c}
   */
  public static ClassStiffness compute(
      PairStiffness pairs, int[] rowLabels, int[] colLabels, int numClasses) {
    Objects.requireNonNull(pairs, "pairs");
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses = " + numClasses + ", expected >= 1");
    }
    int rows = pairs.rows();
    int cols = pairs.cols();
    Checks.requireLabels("rowLabels", rowLabels, rows, numClasses);
    Checks.requireLabels("colLabels", colLabels, cols, numClasses);
    boolean[] rowValid = pairs.rowValidity();
    boolean[] colValid = pairs.colValidity();
    long[] rowIds = pairs.rowIdArray();
    long[] colIds = pairs.colIdArray();
    float[] cos = pairs.cosineValues();
    byte[] sgn = pairs.signValues();

    int cells = numClasses * numClasses;
    long[] counts = new long[cells];
    long[] signSums = new long[cells]; // exact: integer sum of +-1
    double[] cosSums = new double[cells];
    for (int i = 0; i < rows; i++) {
      if (!rowValid[i]) {
        continue;
      }
      int base = i * cols;
      int cellBase = rowLabels[i] * numClasses;
      long rowId = rowIds[i];
      for (int j = 0; j < cols; j++) {
        if (!colValid[j] || colIds[j] == rowId) {
          continue;
        }
        int cell = cellBase + colLabels[j];
        counts[cell]++;
        signSums[cell] += sgn[base + j];
        cosSums[cell] += cos[base + j];
      }
    }
    return means(numClasses, counts, signSums, cosSums);
  }

  /**
   * The class stiffness matrix from sums over pairs, e.g. added up tile by tile ({@code
   * org.stiffness.stats.tiles.StatisticsSums}): the same means as {@link #compute} over the same
   * pairs, up to the order of the floating-point additions of the cosines.
   *
   * @param numClasses {@code n_c}
   * @param pairCounts pairs per cell, row-major {@code (n_c, n_c)}
   * @param signSums sum of the pairs' signs per cell
   * @param cosSums sum of the pairs' cosines per cell
   */
  public static ClassStiffness fromSums(
      int numClasses, long[] pairCounts, long[] signSums, double[] cosSums) {
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses = " + numClasses + ", expected >= 1");
    }
    int cells = numClasses * numClasses;
    Checks.requireLength("pairCounts", pairCounts.length, cells);
    Checks.requireLength("signSums", signSums.length, cells);
    Checks.requireLength("cosSums", cosSums.length, cells);
    return means(numClasses, pairCounts.clone(), signSums.clone(), cosSums.clone());
  }

  private static ClassStiffness means(
      int numClasses, long[] counts, long[] signSums, double[] cosSums) {
    int cells = counts.length;
    double[] signMean = new double[cells];
    double[] cosMean = new double[cells];
    for (int c = 0; c < cells; c++) {
      signMean[c] = counts[c] == 0 ? Double.NaN : (double) signSums[c] / counts[c];
      cosMean[c] = counts[c] == 0 ? Double.NaN : cosSums[c] / counts[c];
    }
    return new ClassStiffness(numClasses, counts, signMean, cosMean, signSums, cosSums);
  }

  /** Number of classes {@code n_c}. */
  public int numClasses() {
    return numClasses;
  }

  /** Number of pairs averaged in cell (a, b); 0 marks an empty cell. */
  public long pairCount(int a, int b) {
    return pairCounts[a * numClasses + b];
  }

  /** {@code C(a, b)} for the given measure, in {@code [-1, 1]}, or NaN for an empty cell. */
  public double stiffness(StiffnessMeasure measure, int a, int b) {
    return values(measure)[a * numClasses + b];
  }

  /** {@code C(a, b)} of sign stiffness, or NaN for an empty cell. */
  public double signStiffness(int a, int b) {
    return sign[a * numClasses + b];
  }

  /** {@code C(a, b)} of cosine stiffness, or NaN for an empty cell. */
  public double cosineStiffness(int a, int b) {
    return cosine[a * numClasses + b];
  }

  /** Row-major {@code (n_c, n_c)} matrix {@code C} (copy); NaN marks empty cells. */
  public double[] matrix(StiffnessMeasure measure) {
    return values(measure).clone();
  }

  /** Row-major {@code (n_c, n_c)} pair counts (copy). */
  public long[] pairCounts() {
    return pairCounts.clone();
  }

  /**
   * Row-major {@code (n_c, n_c)} sums of the pairs' signs (copy): exact integers, from which pooled
   * means over several cells follow exactly (see {@link ClassGroupStiffness}).
   */
  public long[] signSums() {
    return signSums.clone();
  }

  /** Row-major {@code (n_c, n_c)} float64 sums of the pairs' cosines (copy). */
  public double[] cosineSums() {
    return cosineSums.clone();
  }

  /**
   * {@code S_within = 1/n_c sum_a C(a, a)}, averaged over the non-empty diagonal cells; NaN if
   * there are none.
   */
  public double withinClassStiffness(StiffnessMeasure measure) {
    double[] v = values(measure);
    double sum = 0;
    int n = 0;
    for (int a = 0; a < numClasses; a++) {
      int cell = a * numClasses + a;
      if (pairCounts[cell] > 0) {
        sum += v[cell];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * {@code S_between = 1/(n_c (n_c - 1)) sum_{a != b} C(a, b)}, averaged over the non-empty
   * off-diagonal cells; NaN if there are none.
   */
  public double betweenClassStiffness(StiffnessMeasure measure) {
    double[] v = values(measure);
    double sum = 0;
    int n = 0;
    for (int a = 0; a < numClasses; a++) {
      for (int b = 0; b < numClasses; b++) {
        int cell = a * numClasses + b;
        if (a != b && pairCounts[cell] > 0) {
          sum += v[cell];
          n++;
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Number of diagonal cells with pairs (the classes entering {@link #withinClassStiffness}). */
  public int nonEmptyWithinCells() {
    int n = 0;
    for (int a = 0; a < numClasses; a++) {
      n += pairCounts[a * numClasses + a] > 0 ? 1 : 0;
    }
    return n;
  }

  /**
   * Number of off-diagonal cells with pairs (the cells entering {@link #betweenClassStiffness}).
   */
  public int nonEmptyBetweenCells() {
    int n = 0;
    for (int c = 0; c < pairCounts.length; c++) {
      n += pairCounts[c] > 0 ? 1 : 0;
    }
    return n - nonEmptyWithinCells();
  }

  private double[] values(StiffnessMeasure measure) {
    return Objects.requireNonNull(measure, "measure") == StiffnessMeasure.SIGN ? sign : cosine;
  }
}
