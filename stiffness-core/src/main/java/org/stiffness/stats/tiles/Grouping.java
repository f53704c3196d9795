package org.stiffness.stats.tiles;

import java.util.Objects;

/**
 * A grouping of the examples other than by class (e.g. MNLI's genres), with its own class-style
 * matrix: the group plays the class in the paper's formulas.
 *
 * @param name key of the group indices in every {@link PairingSide#groups()}
 * @param groups number of groups; indices are in {@code [0, groups)}
 */
public record Grouping(String name, int groups) {
  /**
   * @throws IllegalArgumentException when there is not at least one group
   */
  public Grouping {
    Objects.requireNonNull(name, "name");
    if (groups < 1) {
      throw new IllegalArgumentException("grouping " + name + ": " + groups + " groups");
    }
  }
}
