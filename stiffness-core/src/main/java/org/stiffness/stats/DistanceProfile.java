package org.stiffness.stats;

import java.util.Objects;
import org.stiffness.stats.internal.Checks;

/**
 * Stiffness vs input distance (paper, "Stiffness vs distance"): pairs binned by their cosine input
 * distance, with the mean sign and cosine stiffness of each bin, once for within-class pairs and
 * once for all pairs. Self-pairs (equal ids) and pairs with a zero-gradient example are excluded;
 * pairs whose distance falls outside the bins are counted in {@link #outOfRangePairs()}.
 */
public final class DistanceProfile {
  private final BinnedStiffness withinClass;
  private final BinnedStiffness allPairs;
  private final long outOfRangePairs;

  private DistanceProfile(BinnedStiffness withinClass, BinnedStiffness allPairs, long outOfRange) {
    this.withinClass = withinClass;
    this.allPairs = allPairs;
    this.outOfRangePairs = outOfRange;
  }

  /**
   * Bins all valid non-self pairs by input distance.
   *
   * @param pairs per-pair stiffness {@code (rows, cols)}
   * @param distances input distances {@code (rows, cols)}, aligned with {@code pairs}
   * @param rowLabels class of each row example, length {@code rows}, non-negative
   * @param colLabels class of each column example, length {@code cols}, non-negative
   * @param bins distance bins, e.g. {@link DistanceBins#defaults()}
   */
  public static DistanceProfile compute(
      PairStiffness pairs,
      InputDistances distances,
      int[] rowLabels,
      int[] colLabels,
      DistanceBins bins) {
    Objects.requireNonNull(pairs, "pairs");
    Objects.requireNonNull(distances, "distances");
    Objects.requireNonNull(bins, "bins");
    distances.requireShape(pairs);
    int rows = pairs.rows();
    int cols = pairs.cols();
    Checks.requireLabels("rowLabels", rowLabels, rows);
    Checks.requireLabels("colLabels", colLabels, cols);
    boolean[] rowValid = pairs.rowValidity();
    boolean[] colValid = pairs.colValidity();
    long[] rowIds = pairs.rowIdArray();
    long[] colIds = pairs.colIdArray();
    float[] cos = pairs.cosineValues();
    byte[] sgn = pairs.signValues();
    float[] dist = distances.values();

    int nb = bins.count();
    long[] allCount = new long[nb];
    long[] allSign = new long[nb];
    double[] allCos = new double[nb];
    long[] inCount = new long[nb];
    long[] inSign = new long[nb];
    double[] inCos = new double[nb];
    long outOfRange = 0;
    for (int i = 0; i < rows; i++) {
      if (!rowValid[i]) {
        continue;
      }
      int base = i * cols;
      int label = rowLabels[i];
      long rowId = rowIds[i];
      for (int j = 0; j < cols; j++) {
        if (!colValid[j] || colIds[j] == rowId) {
          continue;
        }
        int k = bins.indexOf(dist[base + j]);
        if (k < 0) {
          outOfRange++;
          continue;
        }
        byte s = sgn[base + j];
        float c = cos[base + j];
        allCount[k]++;
        allSign[k] += s;
        allCos[k] += c;
        if (colLabels[j] == label) {
          inCount[k]++;
          inSign[k] += s;
          inCos[k] += c;
        }
      }
    }
    return new DistanceProfile(
        new BinnedStiffness(bins, inCount, inSign, inCos),
        new BinnedStiffness(bins, allCount, allSign, allCos),
        outOfRange);
  }

  /**
   * The profile from per-bin sums, e.g. added up tile by tile ({@code
   * org.stiffness.stats.tiles.StatisticsSums}): the same as {@link #compute} over the same pairs,
   * up to the order of the floating-point additions of the cosines. Arrays have one entry per bin.
   */
  public static DistanceProfile fromSums(
      DistanceBins bins,
      long[] withinPairs,
      long[] withinSignSums,
      double[] withinCosSums,
      long[] allPairs,
      long[] allSignSums,
      double[] allCosSums,
      long outOfRangePairs) {
    Objects.requireNonNull(bins, "bins");
    for (Object a :
        new Object[] {
          withinPairs, withinSignSums, withinCosSums, allPairs, allSignSums, allCosSums
        }) {
      int length = a instanceof long[] l ? l.length : ((double[]) a).length;
      Checks.requireLength("per-bin sums", length, bins.count());
    }
    return new DistanceProfile(
        new BinnedStiffness(bins, withinPairs.clone(), withinSignSums, withinCosSums),
        new BinnedStiffness(bins, allPairs.clone(), allSignSums, allCosSums),
        outOfRangePairs);
  }

  /** The curve over within-class pairs (same label). */
  public BinnedStiffness withinClass() {
    return withinClass;
  }

  /** The curve over all pairs, whatever their labels. */
  public BinnedStiffness allPairs() {
    return allPairs;
  }

  /** Valid non-self pairs whose distance lies outside the bins (0 with the default bins). */
  public long outOfRangePairs() {
    return outOfRangePairs;
  }
}
