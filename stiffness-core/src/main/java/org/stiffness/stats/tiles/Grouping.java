package org.stiffness.stats.tiles;

import java.util.List;
import java.util.Objects;

/**
 * A grouping of the examples other than by class (e.g. MNLI's genres), with its own class-style
 * matrix: the group plays the class in the paper's formulas. The one grouping type: the statistics
 * use its count, the summary and the checkpoints its names.
 *
 * @param name key of the group indices in every {@link PairingSide#groups()} and in the summary
 * @param groupNames one name per group index; indices are in {@code [0, groupNames.size())}
 */
public record Grouping(String name, List<String> groupNames) {
  /**
   * Keeps an unmodifiable copy of the group names.
   *
   * @throws IllegalArgumentException when there is not at least one group
   */
  public Grouping {
    Objects.requireNonNull(name, "name");
    groupNames = List.copyOf(groupNames);
    if (groupNames.isEmpty()) {
      throw new IllegalArgumentException("grouping " + name + ": 0 groups");
    }
  }

  /** Number of groups. */
  public int groups() {
    return groupNames.size();
  }
}
