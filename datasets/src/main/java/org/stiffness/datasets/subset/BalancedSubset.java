package org.stiffness.datasets.subset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.stiffness.datasets.LabelledImages;

/**
 * Deterministic class-balanced subsets, e.g. the fixed 500 examples on which stiffness is measured.
 *
 * <p>Definition (stable across runs, machines and Java versions, since {@link java.util.Random}'s
 * generator is fixed by its specification):
 *
 * <ol>
 *   <li>One {@code new Random(seed)} drives everything. For each class k = 0, 1, ..., K-1 in turn,
 *       the indices of class k in ascending order are permuted by a Fisher-Yates shuffle (for j
 *       from the last position down to 1, swap position j with position {@code nextInt(j + 1)}).
 *   <li>Class k contributes the first q_k indices of its permutation.
 *   <li>The result lists classes in ascending order and, within a class, indices in ascending
 *       order, so that class blocks are contiguous in any matrix built from it.
 * </ol>
 *
 * For {@link #ofTotal}, the quotas q_k are as equal as possible: each class gets the same number,
 * classes with too few examples give all they have and the rest is shared among the others; the
 * remainder r of an uneven division goes one each to the r lowest-numbered classes that still have
 * examples left.
 */
public final class BalancedSubset {

  private BalancedSubset() {}

  /**
   * Exactly {@code perClass} examples of every class.
   *
   * @return indices into {@code data}, grouped by class
   * @throws IllegalArgumentException naming the class if one has fewer than {@code perClass}
   */
  public static int[] perClass(LabelledImages data, int perClass, long seed) {
    if (perClass < 0) {
      throw new IllegalArgumentException("perClass must be >= 0, got " + perClass);
    }
    int[] counts = data.classCounts();
    int[] quota = new int[counts.length];
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] < perClass) {
        throw new IllegalArgumentException(
            data.name()
                + ": class "
                + k
                + " ("
                + data.classNames().get(k)
                + ") has "
                + counts[k]
                + " examples, fewer than the "
                + perClass
                + " asked for");
      }
      quota[k] = perClass;
    }
    return draw(data, quota, seed);
  }

  /**
   * {@code total} examples with class counts as equal as possible (see the class description).
   *
   * @return indices into {@code data}, grouped by class
   * @throws IllegalArgumentException if {@code total} exceeds the dataset size
   */
  public static int[] ofTotal(LabelledImages data, int total, long seed) {
    if (total < 0 || total > data.size()) {
      throw new IllegalArgumentException(
          data.name() + ": cannot draw " + total + " of " + data.size() + " examples");
    }
    return draw(data, quotas(data.classCounts(), total), seed);
  }

  /** The examples of {@link #ofTotal}, as a dataset. */
  public static LabelledImages select(LabelledImages data, int total, long seed) {
    return data.select(
        ofTotal(data, total, seed), data.name() + "[balanced " + total + ", seed " + seed + "]");
  }

  /**
   * Splits a dataset without a published split (the built-in digits) into two disjoint
   * class-balanced parts: {@code first} examples drawn by {@link #ofTotal} and all the others.
   *
   * @return {first indices, remaining indices}, each grouped by class
   */
  public static int[][] split(LabelledImages data, int first, long seed) {
    int[] a = ofTotal(data, first, seed);
    boolean[] taken = new boolean[data.size()];
    for (int i : a) {
      taken[i] = true;
    }
    int[] b = new int[data.size() - a.length];
    int at = 0;
    for (int k = 0; k < data.classCount(); k++) {
      for (int i = 0; i < data.size(); i++) {
        if (!taken[i] && data.label(i) == k) {
          b[at++] = i;
        }
      }
    }
    return new int[][] {a, b};
  }

  /** Water-filling: equal shares, capped by what each class has. */
  static int[] quotas(int[] counts, int total) {
    int classes = counts.length;
    int[] quota = new int[classes];
    int remaining = total;
    while (remaining > 0) {
      int open = 0;
      for (int k = 0; k < classes; k++) {
        if (quota[k] < counts[k]) {
          open++;
        }
      }
      int share = remaining / open;
      if (share == 0) {
        for (int k = 0; k < classes && remaining > 0; k++) {
          if (quota[k] < counts[k]) {
            quota[k]++;
            remaining--;
          }
        }
        break;
      }
      for (int k = 0; k < classes; k++) {
        int add = Math.min(share, counts[k] - quota[k]);
        quota[k] += add;
        remaining -= add;
      }
    }
    return quota;
  }

  private static int[] draw(LabelledImages data, int[] quota, long seed) {
    Random random = new Random(seed);
    List<int[]> byClass = new ArrayList<>();
    for (int k = 0; k < quota.length; k++) {
      int[] members = membersOf(data, k);
      for (int j = members.length - 1; j > 0; j--) {
        int r = random.nextInt(j + 1);
        int t = members[j];
        members[j] = members[r];
        members[r] = t;
      }
      int[] chosen = Arrays.copyOf(members, quota[k]);
      Arrays.sort(chosen);
      byClass.add(chosen);
    }
    return byClass.stream().flatMapToInt(Arrays::stream).toArray();
  }

  private static int[] membersOf(LabelledImages data, int k) {
    int[] all = new int[data.size()];
    int n = 0;
    for (int i = 0; i < data.size(); i++) {
      if (data.label(i) == k) {
        all[n++] = i;
      }
    }
    return Arrays.copyOf(all, n);
  }
}
