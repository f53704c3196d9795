package org.stiffness.experiments;

import java.util.Map;
import java.util.Objects;
import org.stiffness.gradients.Examples;

/**
 * A fixed example set measured at every checkpoint.
 *
 * @param examples the inputs as fed to the model, labels and ids; its {@code name()} names the set
 *     in pairing keys and export files ({@code train}, {@code val}, {@code val_mismatched})
 * @param labels class of each example, in {@code [0, classes)}
 * @param groups other groupings of the same examples, keyed by grouping name (e.g. {@code genre} ->
 *     genre index per example); empty for none
 */
public record MeasuredSet(Examples examples, int[] labels, Map<String, int[]> groups) {
  /**
   * @throws IllegalArgumentException when labels or a grouping do not have one entry per example
   */
  public MeasuredSet {
    Objects.requireNonNull(examples, "examples");
    Objects.requireNonNull(labels, "labels");
    groups = Map.copyOf(groups);
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
}
