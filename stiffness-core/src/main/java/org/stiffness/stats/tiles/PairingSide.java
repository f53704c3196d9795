package org.stiffness.stats.tiles;

import java.util.Map;
import java.util.Objects;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramSide;

/**
 * What the statistics know of the examples on one side of a pairing (the rows X or the columns Y),
 * in the order of the Gram matrix's rows or columns, on the host. Unlike {@link GramSide}, which a
 * whole Gram matrix carries and whose labels may be a regression's targets, its labels are class
 * indices, checked before any tile, and it carries the examples' other groupings.
 *
 * @param ids identity of each example; a row and a column with the same id are the same example,
 *     and their pair (a self-pair) is left out of every statistic
 * @param labels class of each example, in {@code [0, classes)}
 * @param groups other groupings of the same examples, by grouping name (e.g. {@code genre}), each a
 *     group index per example; empty for none
 */
public record PairingSide(long[] ids, int[] labels, Map<String, int[]> groups) {
  /**
   * @throws IllegalArgumentException when labels or a grouping do not have one entry per id
   */
  public PairingSide {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(labels, "labels");
    groups = Map.copyOf(groups);
    if (labels.length != ids.length) {
      throw new IllegalArgumentException(
          labels.length + " labels for " + ids.length + " example ids");
    }
  }

  /** A side without other groupings. */
  public PairingSide(long[] ids, int[] labels) {
    this(ids, labels, Map.of());
  }

  /**
   * The ids and class labels of a set, copied to the host as {@link GramSide#of} copies them, with
   * no other grouping.
   *
   * @throws IllegalArgumentException when the set gives one id to two examples
   * @throws IllegalStateException when its labels are not class indices
   */
  public static PairingSide of(Examples examples) {
    GramSide side = GramSide.of(examples);
    return new PairingSide(side.ids(), side.labels());
  }

  /** Number of examples. */
  public int size() {
    return ids.length;
  }
}
