package org.stiffness.experiments;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.stiffness.gradients.Examples;
import org.stiffness.stats.tiles.PairingSide;

/**
 * A fixed example set measured at every checkpoint: the same examples twice over, once as the
 * engine takes them and once as the statistics do. Both are needed: the engine computes gradients
 * from device arrays (the labels there are the loss's targets), the statistics sum over the host
 * ids, class labels and groupings of each tile's rows and columns.
 *
 * @param examples the inputs as fed to the model, labels and ids, on a device; its {@code name()}
 *     names the set in pairing keys and export files ({@code train}, {@code val}, {@code
 *     val_mismatched})
 * @param side the same examples' ids, class labels and groupings on the host, one object per set (a
 *     pairing of the set with itself shares it, which is what makes its statistics mirror its
 *     tiles)
 */
public record MeasuredSet(Examples examples, PairingSide side) {
  /**
   * @throws IllegalArgumentException when the side is not of the examples' ids, or a grouping does
   *     not have one entry per example
   */
  public MeasuredSet {
    Objects.requireNonNull(examples, "examples");
    Objects.requireNonNull(side, "side");
    requireOnePerExample(examples, side.labels(), side.groups());
    if (side.ids() != examples.ids() && !Arrays.equals(side.ids(), examples.ids())) {
      throw new IllegalArgumentException(
          examples.name() + ": the side's ids are not the examples' ids");
    }
  }

  /**
   * A set from its examples, their class labels and other groupings.
   *
   * @param labels class of each example, in {@code [0, classes)}
   * @param groups other groupings of the same examples, keyed by grouping name (e.g. {@code genre}
   *     -> genre index per example); empty for none
   * @throws IllegalArgumentException when labels or a grouping do not have one entry per example
   */
  public MeasuredSet(Examples examples, int[] labels, Map<String, int[]> groups) {
    this(examples, side(examples, labels, groups));
  }

  private static PairingSide side(Examples examples, int[] labels, Map<String, int[]> groups) {
    Objects.requireNonNull(examples, "examples");
    Objects.requireNonNull(labels, "labels");
    requireOnePerExample(examples, labels, groups);
    return new PairingSide(examples.ids(), labels, groups);
  }

  private static void requireOnePerExample(
      Examples examples, int[] labels, Map<String, int[]> groups) {
    if (labels.length != examples.size()) {
      throw new IllegalArgumentException(
          examples.name() + ": " + labels.length + " labels for " + examples.size() + " examples");
    }
    for (var g : groups.entrySet()) {
      if (g.getValue().length != examples.size()) {
        throw new IllegalArgumentException(
            examples.name()
                + ": grouping "
                + g.getKey()
                + " has "
                + g.getValue().length
                + " entries for "
                + examples.size()
                + " examples");
      }
    }
  }

  /** The set's name ({@code examples().name()}). */
  public String name() {
    return examples.name();
  }

  /** Class of each example, in {@code [0, classes)} (the side's labels, not copied). */
  public int[] labels() {
    return side.labels();
  }

  /** Other groupings of the examples, by grouping name (the side's); empty for none. */
  public Map<String, int[]> groups() {
    return side.groups();
  }
}
