package org.stiffness.experiments;

import java.util.List;
import java.util.Objects;

/**
 * Another way of grouping the examples than by class, with its own class-style matrices.
 *
 * @param name key in every {@link MeasuredSet#groups()} and in the summary
 * @param groupNames one name per group index
 */
public record Grouping(String name, List<String> groupNames) {
  /** Keeps an unmodifiable copy of the group names. */
  public Grouping {
    Objects.requireNonNull(name, "name");
    groupNames = List.copyOf(groupNames);
  }
}
