package org.stiffness.experiments.influence;

import java.util.Arrays;
import java.util.Random;

/**
 * A seeded fraction of training labels flipped to another class: the mislabelled examples whose
 * detection by self-influence TracIn's paper reports.
 *
 * <p>Definition (stable across runs and machines, since {@link Random}'s generator is fixed by its
 * specification): one {@code new Random(seed)}; {@code round(fraction * N)} indices are the first
 * ones of a Fisher-Yates permutation of {@code 0..N-1} (for j from N-1 down to 1, swap positions j
 * and {@code nextInt(j + 1)}), sorted ascending; then, in ascending index order, example i of class
 * c gets class {@code (c + 1 + nextInt(classes - 1)) mod classes}: uniform over the other classes,
 * never its own.
 *
 * @param labels the labels after flipping, (N)
 * @param flipped the flipped indices, ascending
 */
public record LabelFlip(int[] labels, int[] flipped) {

  /**
   * Flips {@code round(fraction * labels.length)} labels.
   *
   * @param labels the true labels, (N), each in {@code 0..classes-1}; not modified
   * @param classes the number of classes, at least 2 when anything is flipped
   * @param fraction the share of labels to flip, in [0, 1]
   * @param seed seeds which labels and their new classes
   * @throws IllegalArgumentException for a fraction out of range, fewer than 2 classes or a label
   *     out of range
   */
  public static LabelFlip of(int[] labels, int classes, double fraction, long seed) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException(
          "the fraction of flipped labels must be in [0, 1], got " + fraction);
    }
    int n = labels.length;
    int count = (int) Math.round(fraction * n);
    if (count > 0 && classes < 2) {
      throw new IllegalArgumentException(
          "flipping a label needs at least 2 classes, the data has " + classes);
    }
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " of example " + i + " is not in 0.." + (classes - 1));
      }
    }
    Random random = new Random(seed);
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    for (int j = n - 1; j > 0; j--) {
      int k = random.nextInt(j + 1);
      int t = order[k];
      order[k] = order[j];
      order[j] = t;
    }
    int[] flipped = Arrays.copyOf(order, count);
    Arrays.sort(flipped);
    int[] out = labels.clone();
    for (int i : flipped) {
      out[i] = (labels[i] + 1 + random.nextInt(classes - 1)) % classes;
    }
    return new LabelFlip(out, flipped);
  }

  /** Whether each of the {@code n} examples was flipped, (N). */
  public boolean[] mask(int n) {
    boolean[] mask = new boolean[n];
    for (int i : flipped) {
      mask[i] = true;
    }
    return mask;
  }
}
