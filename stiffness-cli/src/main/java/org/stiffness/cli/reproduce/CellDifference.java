package org.stiffness.cli.reproduce;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A difference of two means of class cells with its standard error, the comparison every claim on
 * class matrices makes: "exceeds" is more than {@value Claims#SE_MULTIPLE} standard errors.
 *
 * @param margin first mean minus second
 * @param se standard error of the margin (NaN when a side has fewer than 2 cells, so that no
 *     comparison on it passes)
 * @param first the first mean
 * @param second the second mean
 */
record CellDifference(double margin, double se, double first, double second) {

  /** Two independent sets of cells: {@code sqrt(var_a / n_a + var_b / n_b)}. */
  static CellDifference unpaired(double[] a, double[] b) {
    double[] fa = finite(a);
    double[] fb = finite(b);
    double ma = ClassCells.mean(fa);
    double mb = ClassCells.mean(fb);
    double se = Math.sqrt(variance(fa) / fa.length + variance(fb) / fb.length);
    return new CellDifference(ma - mb, se, ma, mb);
  }

  /**
   * The same cells at two times: the standard error of the mean per-cell change, over the cells
   * finite at both.
   */
  static CellDifference paired(double[] after, double[] before) {
    List<Double> d = new ArrayList<>();
    for (int i = 0; i < after.length; i++) {
      if (Double.isFinite(after[i]) && Double.isFinite(before[i])) {
        d.add(after[i] - before[i]);
      }
    }
    double[] diff = d.stream().mapToDouble(Double::doubleValue).toArray();
    return new CellDifference(
        ClassCells.mean(diff),
        Math.sqrt(variance(diff) / diff.length),
        ClassCells.mean(after),
        ClassCells.mean(before));
  }

  /** The first mean is significantly larger. */
  boolean exceeds() {
    return margin > Claims.SE_MULTIPLE * se;
  }

  /** The first mean is significantly smaller. */
  boolean fallsShort() {
    return margin < -Claims.SE_MULTIPLE * se;
  }

  /** {@code within 0.500 vs between 0.100 (difference +0.400, SE 0.115)}. */
  String describe(String firstName, String secondName) {
    return String.format(
        Locale.ROOT,
        "%s %.3f vs %s %.3f (difference %+.3f, SE %.3f)",
        firstName,
        first,
        secondName,
        second,
        margin,
        se);
  }

  private static double[] finite(double[] v) {
    return Arrays.stream(v).filter(Double::isFinite).toArray();
  }

  /** Sample variance (n - 1); NaN below 2 values, so a comparison on it cannot pass. */
  private static double variance(double[] v) {
    if (v.length < 2) {
      return Double.NaN;
    }
    double m = ClassCells.mean(v);
    return Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1);
  }
}
