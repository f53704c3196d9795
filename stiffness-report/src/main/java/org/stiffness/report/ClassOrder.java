package org.stiffness.report;

import java.util.Arrays;

/**
 * The order in which a class heatmap lists its classes, and the groups drawn as boundaries (e.g.
 * CIFAR-100's 100 classes ordered by their 20 superclasses of 5).
 *
 * @param order {@code order[k]} is the class shown at position k; a permutation of {@code 0..C-1}
 * @param groupSizes consecutive group lengths in display order, summing to C; a boundary is drawn
 *     between groups (a single group draws none)
 */
public record ClassOrder(int[] order, int[] groupSizes) {

  /**
   * @throws IllegalArgumentException unless {@code order} is a permutation split by {@code
   *     groupSizes}
   */
  public ClassOrder {
    order = order.clone();
    groupSizes = groupSizes.clone();
    boolean[] seen = new boolean[order.length];
    for (int c : order) {
      if (c < 0 || c >= order.length || seen[c]) {
        throw new IllegalArgumentException(
            "class order is not a permutation of 0.."
                + (order.length - 1)
                + ": "
                + Arrays.toString(order));
      }
      seen[c] = true;
    }
    int sum = 0;
    for (int g : groupSizes) {
      if (g <= 0) {
        throw new IllegalArgumentException(
            "group sizes must be positive: " + Arrays.toString(groupSizes));
      }
      sum += g;
    }
    if (sum != order.length) {
      throw new IllegalArgumentException(
          "group sizes sum to " + sum + ", not to the " + order.length + " classes");
    }
  }

  /** Classes in index order, one group (no boundaries). */
  public static ClassOrder identity(int classes) {
    int[] order = new int[classes];
    for (int k = 0; k < classes; k++) {
      order[k] = k;
    }
    return new ClassOrder(order, new int[] {classes});
  }

  /**
   * Orders classes by group label, stably (CIFAR-100: {@code groupOf[fine] = coarse label}), with
   * one boundary per group.
   *
   * @param groupOf the group of class k at index k, in {@code 0..G-1}
   */
  public static ClassOrder byGroup(int[] groupOf) {
    int groups = Arrays.stream(groupOf).max().orElse(-1) + 1;
    int[] sizes = new int[groups];
    for (int g : groupOf) {
      sizes[g]++;
    }
    int[] order = new int[groupOf.length];
    int k = 0;
    for (int g = 0; g < groups; g++) {
      for (int c = 0; c < groupOf.length; c++) {
        if (groupOf[c] == g) {
          order[k++] = c;
        }
      }
    }
    return new ClassOrder(order, Arrays.stream(sizes).filter(s -> s > 0).toArray());
  }

  /** Number of classes. */
  public int classes() {
    return order.length;
  }

  /** The classes in drawing order (a copy). */
  @Override
  public int[] order() {
    return order.clone();
  }

  /** How many consecutive classes of {@link #order} each group holds (a copy). */
  @Override
  public int[] groupSizes() {
    return groupSizes.clone();
  }
}
