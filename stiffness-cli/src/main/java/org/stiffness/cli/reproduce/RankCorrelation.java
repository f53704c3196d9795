package org.stiffness.cli.reproduce;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Pearson's and Spearman's correlation of two equally long samples, as the distance-decay claims
 * need them: Spearman's is Pearson's on the ranks, ties given their mean rank.
 */
final class RankCorrelation {
  private RankCorrelation() {}

  /** Spearman's rank correlation; NaN when either side is constant or shorter than 2. */
  static double spearman(double[] x, double[] y) {
    return pearson(ranks(x), ranks(y));
  }

  /**
   * The ranks 1..n of {@code v}'s values, in {@code v}'s order; values that tie share the mean of
   * the ranks they span ({1, 1, 2} ranks {1.5, 1.5, 3}).
   */
  static double[] ranks(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] rank = new double[v.length];
    for (int i = 0; i < v.length; ) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        rank[order[k]] = (i + j) / 2.0 + 1;
      }
      i = j + 1;
    }
    return rank;
  }

  /** Pearson's correlation; NaN when either side is constant or empty. */
  static double pearson(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "samples of different lengths: " + x.length + " and " + y.length);
    }
    double mx = Arrays.stream(x).average().orElse(Double.NaN);
    double my = Arrays.stream(y).average().orElse(Double.NaN);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
