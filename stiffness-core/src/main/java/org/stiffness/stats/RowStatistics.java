package org.stiffness.stats;

import java.util.Arrays;
import java.util.Objects;
import org.stiffness.stats.internal.Checks;

/**
 * The sufficient statistics of the critical-length fit per row example: for the pairs (i, j) a fit
 * uses in row i, their count {@code n}, {@code sum d}, {@code sum y}, {@code sum d^2}, {@code sum d
 * y} and {@code sum y^2} ({@code d} the input distance, {@code y} the pair's stiffness), plus the
 * smallest and largest fitted distance over all rows. Sums over disjoint sets of pairs add up, so
 * they are computed tile by tile and added ({@code org.stiffness.stats.tiles}); the bootstrap of xi
 * resamples rows and needs nothing else ({@link CriticalLength#estimate(RowStatistics,
 * CriticalLength.Config)}).
 *
 * <p>Row-major {@code (rows, WIDTH)} doubles; a row without fitted pairs has {@code n = 0}. Counts
 * are held as doubles, exact up to 2^53 pairs per row.
 */
public final class RowStatistics {
  /** Column of the pair count. */
  public static final int N = 0;

  /** Column of {@code sum d}. */
  public static final int D = 1;

  /** Column of {@code sum y}. */
  public static final int Y = 2;

  /** Column of {@code sum d^2}. */
  public static final int DD = 3;

  /** Column of {@code sum d y}. */
  public static final int DY = 4;

  /** Column of {@code sum y^2}. */
  public static final int YY = 5;

  /** Sums per row. */
  public static final int WIDTH = 6;

  private final int rows;
  private final double[] sums;
  private final double minDistance;
  private final double maxDistance;

  /**
   * @param rows number of row examples
   * @param sums row-major {@code (rows, WIDTH)} sums (not copied)
   * @param minDistance smallest fitted distance ({@code +infinity} when no pair is fitted)
   * @param maxDistance largest fitted distance ({@code -infinity} when no pair is fitted)
   */
  public RowStatistics(int rows, double[] sums, double minDistance, double maxDistance) {
    Objects.requireNonNull(sums, "sums");
    Checks.requireLength("row statistics", sums.length, rows * WIDTH);
    this.rows = rows;
    this.sums = sums;
    this.minDistance = minDistance;
    this.maxDistance = maxDistance;
  }

  /** Number of row examples (with or without fitted pairs). */
  public int rows() {
    return rows;
  }

  /** Sum {@code column} ({@link #N}, {@link #D}, ...) of row i. */
  public double get(int i, int column) {
    return sums[i * WIDTH + column];
  }

  /** Pairs fitted in row i. */
  public long pairs(int i) {
    return (long) sums[i * WIDTH + N];
  }

  /** Smallest fitted distance, {@code +infinity} when no pair is fitted. */
  public double minDistance() {
    return minDistance;
  }

  /** Largest fitted distance, {@code -infinity} when no pair is fitted. */
  public double maxDistance() {
    return maxDistance;
  }

  /** Row-major {@code (rows, WIDTH)} sums (copy). */
  public double[] values() {
    return sums.clone();
  }

  @Override
  public String toString() {
    return "RowStatistics[" + rows + " rows, d in [" + minDistance + ", " + maxDistance + "]]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowStatistics r
        && rows == r.rows
        && Arrays.equals(sums, r.sums)
        && Double.compare(minDistance, r.minDistance) == 0
        && Double.compare(maxDistance, r.maxDistance) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sums) * 31 + rows;
  }
}
