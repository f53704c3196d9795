package org.stiffness.stats.tiles;

import java.util.Arrays;

/**
 * What the statistics' sums of a pairing hold besides its examples: the groups of every grouping
 * (classes first), the distance bins, and whether there are distances at all (bins and
 * critical-length sums). Sums of two shapes never add up, and a tile file of another shape belongs
 * to another configuration.
 *
 * @param groupSizes groups of every grouping, classes first
 * @param bins distance bins (0 without distances)
 * @param distances whether bins and critical-length sums are taken
 * @param coherence whether the gradient coherence and confusion sums are taken (a pairing of a set
 *     with itself: {@link StatisticsSpec#symmetric()})
 */
public record SumsShape(int[] groupSizes, int bins, boolean distances, boolean coherence) {
  /**
   * @throws IllegalArgumentException for a grouping without groups, or bins without distances
   */
  public SumsShape {
    groupSizes = groupSizes.clone();
    if (groupSizes.length == 0) {
      throw new IllegalArgumentException("the sums need at least the classes' grouping");
    }
    for (int k : groupSizes) {
      if (k < 1) {
        throw new IllegalArgumentException("a grouping of " + k + " groups");
      }
    }
    if (distances ? bins < 1 : bins != 0) {
      throw new IllegalArgumentException(
          bins + " bins " + (distances ? "with" : "without") + " distances");
    }
  }

  /** A shape without the coherence sums (a pairing of two sets). */
  public SumsShape(int[] groupSizes, int bins, boolean distances) {
    this(groupSizes, bins, distances, false);
  }

  /** The shape of a pairing's sums. */
  public static SumsShape of(StatisticsSpec spec) {
    boolean distances = spec.distances() != null;
    return new SumsShape(
        spec.groupSizes(),
        distances ? spec.options().bins().count() : 0,
        distances,
        spec.symmetric());
  }

  /** Groups of every grouping, classes first (copy). */
  @Override
  public int[] groupSizes() {
    return groupSizes.clone();
  }

  /** Number of groupings, classes included. */
  public int groupings() {
    return groupSizes.length;
  }

  /** Groups of grouping g (0: classes). */
  public int groups(int g) {
    return groupSizes[g];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SumsShape s
        && Arrays.equals(groupSizes, s.groupSizes)
        && bins == s.bins
        && distances == s.distances
        && coherence == s.coherence;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(groupSizes) * 31 + bins * 4 + (distances ? 2 : 0) + (coherence ? 1 : 0);
  }

  @Override
  public String toString() {
    return "groups "
        + Arrays.toString(groupSizes)
        + ", "
        + bins
        + " bins"
        + (coherence ? ", coherence" : "");
  }
}
