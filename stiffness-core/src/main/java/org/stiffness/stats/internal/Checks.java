package org.stiffness.stats.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * Argument checks shared by the statistics (here and in {@code org.stiffness.stats.tiles}), so
 * every error names the offending example.
 */
public final class Checks {
  private Checks() {}

  /**
   * @throws IllegalArgumentException naming {@code name} when {@code length != expected}
   */
  public static void requireLength(String name, int length, int expected) {
    if (length != expected) {
      throw new IllegalArgumentException(name + " has length " + length + ", expected " + expected);
    }
  }

  /** Labels must index a class matrix, so out-of-range labels are errors, not silently dropped. */
  public static void requireLabels(String name, int[] labels, int expected, int numClasses) {
    Objects.requireNonNull(labels, name);
    requireLength(name, labels.length, expected);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            name + "[" + i + "] = " + labels[i] + " is outside [0, " + numClasses + ")");
      }
    }
  }

  /** As {@link #requireLabels(String, int[], int, int)} with no upper bound on the labels. */
  public static void requireLabels(String name, int[] labels, int expected) {
    requireLabels(name, labels, expected, Integer.MAX_VALUE);
  }

  /**
   * Ids identify examples across the two sets; a duplicate inside one set would make self-pair
   * exclusion ambiguous.
   */
  public static void requireUniqueIds(String name, long[] ids, int expected) {
    Objects.requireNonNull(ids, name);
    requireLength(name, ids.length, expected);
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    for (int k = 1; k < sorted.length; k++) {
      if (sorted[k] == sorted[k - 1]) {
        throw new IllegalArgumentException(name + " contains the id " + sorted[k] + " twice");
      }
    }
  }
}
