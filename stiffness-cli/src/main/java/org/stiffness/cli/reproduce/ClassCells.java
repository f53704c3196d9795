package org.stiffness.cli.reproduce;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cells of a {@code (classes, classes)} class matrix that a claim averages: the class cells are
 * the claims' replicates (see {@link Claims}). An empty cell (NaN, a class pair without pairs) is
 * kept in the diagonal, so that paired differences stay aligned, and left out everywhere else.
 */
final class ClassCells {
  private ClassCells() {}

  /** The diagonal cells, within-class stiffness, NaN kept in its place. */
  static double[] diagonal(double[][] m) {
    double[] d = new double[m.length];
    for (int a = 0; a < m.length; a++) {
      d[a] = m[a][a];
    }
    return d;
  }

  /** The non-empty off-diagonal cells, between-class stiffness. */
  static double[] offDiagonal(double[][] m) {
    return offDiagonal(m, null, false);
  }

  /**
   * The non-empty off-diagonal cells; with {@code groupOf}, only those whose classes are in the
   * same group ({@code sameGroup}) or in different groups.
   */
  static double[] offDiagonal(double[][] m, List<Integer> groupOf, boolean sameGroup) {
    List<Double> out = new ArrayList<>();
    for (int a = 0; a < m.length; a++) {
      for (int b = 0; b < m.length; b++) {
        if (a == b || !Double.isFinite(m[a][b])) {
          continue;
        }
        if (groupOf != null && groupOf.get(a).equals(groupOf.get(b)) != sameGroup) {
          continue;
        }
        out.add(m[a][b]);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The mean of the finite values; NaN when there is none. */
  static double mean(double[] v) {
    return Arrays.stream(v).filter(Double::isFinite).average().orElse(Double.NaN);
  }
}
