package org.stiffness.stats;

import java.util.Objects;

/**
 * Stiffness between different classes of the same group against stiffness between classes of
 * different groups, for a {@link ClassGroups} grouping of the classes (the paper's CIFAR-100
 * question, "is class stiffness aware of the superclasses?", asked of any grouping).
 *
 * <p>Over the pairs the {@link ClassStiffness} matrix averages (valid, not self-pairs), with row
 * class a in group g and column class b in group h:
 *
 * <ul>
 *   <li><b>within-group</b> stiffness: the mean over pairs with {@code a != b} and {@code g == h};
 *   <li><b>across-group</b> stiffness: the mean over pairs with {@code g != h};
 *   <li>the {@code (G, G)} group matrix {@code M(g, h)}: the mean over pairs with {@code a != b}, a
 *       in g, b in h. Its diagonal is each group's within-group stiffness (empty for a group of one
 *       class), its off-diagonal the across-group stiffness of two groups.
 * </ul>
 *
 * Pairs of the same class are in none of them: they are the class matrix's diagonal. Unlike the
 * paper's {@code S_between}, which averages class cells, these are means over pairs, pooled from
 * the class cells' sums (counts and sign sums are exact integers; cosine sums are added in
 * row-major class-cell order). So they cost nothing beyond the class matrix and are the same
 * whether it came from whole matrices or from the tiles of a sharded measurement.
 */
public final class ClassGroupStiffness {
  private final ClassGroups groups;
  private final long[] pairCounts;
  private final long[] signSums;
  private final double[] cosineSums;
  private long withinPairs;
  private long withinSign;
  private double withinCos;
  private long acrossPairs;
  private long acrossSign;
  private double acrossCos;

  private ClassGroupStiffness(ClassGroups groups) {
    this.groups = groups;
    int cells = groups.groups() * groups.groups();
    pairCounts = new long[cells];
    signSums = new long[cells];
    cosineSums = new double[cells];
  }

  /**
   * Pools the class matrix's cells by group.
   *
   * @param classes the class stiffness matrix, {@code (n_c, n_c)}
   * @param groups a grouping of the same {@code n_c} classes
   * @throws IllegalArgumentException when the class counts differ
   */
  public static ClassGroupStiffness of(ClassStiffness classes, ClassGroups groups) {
    Objects.requireNonNull(classes, "classes");
    Objects.requireNonNull(groups, "groups");
    int n = classes.numClasses();
    if (groups.classes() != n) {
      throw new IllegalArgumentException(
          "class groups "
              + groups.name()
              + " are for "
              + groups.classes()
              + " classes, the class matrix has "
              + n);
    }
    long[] counts = classes.pairCounts();
    long[] signs = classes.signSums();
    double[] cosines = classes.cosineSums();
    ClassGroupStiffness out = new ClassGroupStiffness(groups);
    int k = groups.groups();
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        if (a == b) {
          continue;
        }
        int cell = a * n + b;
        int g = groups.groupOf(a);
        int h = groups.groupOf(b);
        int to = g * k + h;
        out.pairCounts[to] += counts[cell];
        out.signSums[to] += signs[cell];
        out.cosineSums[to] += cosines[cell];
        if (g == h) {
          out.withinPairs += counts[cell];
          out.withinSign += signs[cell];
          out.withinCos += cosines[cell];
        } else {
          out.acrossPairs += counts[cell];
          out.acrossSign += signs[cell];
          out.acrossCos += cosines[cell];
        }
      }
    }
    return out;
  }

  /** The grouping. */
  public ClassGroups groups() {
    return groups;
  }

  /** Pairs of different classes of the same group. */
  public long withinGroupPairs() {
    return withinPairs;
  }

  /** Mean stiffness of pairs of different classes of the same group; NaN without such pairs. */
  public double withinGroupStiffness(StiffnessMeasure measure) {
    return mean(measure, withinPairs, withinSign, withinCos);
  }

  /** Pairs whose classes are in different groups. */
  public long acrossGroupPairs() {
    return acrossPairs;
  }

  /** Mean stiffness of pairs whose classes are in different groups; NaN without such pairs. */
  public double acrossGroupStiffness(StiffnessMeasure measure) {
    return mean(measure, acrossPairs, acrossSign, acrossCos);
  }

  /** Pairs of different classes with the row class in group g and the column class in group h. */
  public long pairCount(int g, int h) {
    return pairCounts[g * groups.groups() + h];
  }

  /** {@code M(g, h)}, or NaN for a cell without pairs (the diagonal of a one-class group). */
  public double stiffness(StiffnessMeasure measure, int g, int h) {
    int cell = g * groups.groups() + h;
    return mean(measure, pairCounts[cell], signSums[cell], cosineSums[cell]);
  }

  /** Row-major {@code (G, G)} matrix {@code M}; NaN marks cells without pairs. */
  public double[] matrix(StiffnessMeasure measure) {
    int k = groups.groups();
    double[] out = new double[k * k];
    for (int g = 0; g < k; g++) {
      for (int h = 0; h < k; h++) {
        out[g * k + h] = stiffness(measure, g, h);
      }
    }
    return out;
  }

  /** Row-major {@code (G, G)} pair counts (copy). */
  public long[] pairCounts() {
    return pairCounts.clone();
  }

  private static double mean(StiffnessMeasure measure, long pairs, long signSum, double cosSum) {
    if (pairs == 0) {
      return Double.NaN;
    }
    return Objects.requireNonNull(measure, "measure") == StiffnessMeasure.SIGN
        ? (double) signSum / pairs
        : cosSum / pairs;
  }
}
