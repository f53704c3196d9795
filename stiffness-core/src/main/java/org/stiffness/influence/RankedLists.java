package org.stiffness.influence;

import java.util.Arrays;

/**
 * For each of {@code columns} test examples, the {@code k} training examples that rank first under
 * one strict total order, kept as candidates stream in: by score, largest first ({@code largest},
 * the proponents) or most negative first (the opponents), and among equal scores by the smaller
 * training index. Scores compare as numbers ({@code -0.0 == 0.0}).
 *
 * <p>Because the order is strict and total, the lists are a function of the set of candidates
 * offered, not of the order they come in: tiles in any order, shards merged in any order, give the
 * same lists, bit for bit. Memory: {@code columns * k} scores and indices.
 */
final class RankedLists {
  private final int columns;
  private final int k;
  private final boolean largest;
  private final float[] scores;
  private final int[] indices;
  private final int[] counts;

  RankedLists(int columns, int k, boolean largest) {
    this.columns = columns;
    this.k = k;
    this.largest = largest;
    this.scores = new float[Math.multiplyExact(columns, k)];
    this.indices = new int[scores.length];
    this.counts = new int[columns];
  }

  /** Whether (score a, index i) ranks before (score b, index j). */
  boolean before(float a, int i, float b, int j) {
    if (a != b) {
      return largest ? a > b : a < b;
    }
    return i < j;
  }

  /**
   * Offers training example {@code index} with {@code score} to column {@code column}'s list; an
   * index already in the list must not be offered again.
   */
  void offer(int column, float score, int index) {
    int base = column * k;
    int n = counts[column];
    if (n == k && !before(score, index, scores[base + n - 1], indices[base + n - 1])) {
      return;
    }
    int at = n == k ? n - 1 : n; // the last place, freed when full
    while (at > 0 && before(score, index, scores[base + at - 1], indices[base + at - 1])) {
      scores[base + at] = scores[base + at - 1];
      indices[base + at] = indices[base + at - 1];
      at--;
    }
    scores[base + at] = score;
    indices[base + at] = index;
    if (n < k) {
      counts[column] = n + 1;
    }
  }

  /** Offers every entry of {@code other}'s lists (same shape and order) to this one's. */
  void offerAll(RankedLists other) {
    for (int c = 0; c < columns; c++) {
      for (int r = 0; r < other.counts[c]; r++) {
        offer(c, other.scores[c * k + r], other.indices[c * k + r]);
      }
    }
  }

  int columns() {
    return columns;
  }

  int k() {
    return k;
  }

  boolean largest() {
    return largest;
  }

  /** Entries in column {@code column}'s list (k once it has seen k candidates). */
  int count(int column) {
    return counts[column];
  }

  /** Scores, {@code (columns, k)} row-major; entries past a column's count are 0. */
  float[] scores() {
    return scores;
  }

  /** Training indices, {@code (columns, k)} row-major; entries past a column's count are 0. */
  int[] indices() {
    return indices;
  }

  int[] counts() {
    return counts;
  }

  /** Lists rebuilt from their arrays (as read from a shard file). */
  static RankedLists of(int k, boolean largest, float[] scores, int[] indices, int[] counts) {
    RankedLists lists = new RankedLists(counts.length, k, largest);
    System.arraycopy(scores, 0, lists.scores, 0, scores.length);
    System.arraycopy(indices, 0, lists.indices, 0, indices.length);
    System.arraycopy(counts, 0, lists.counts, 0, counts.length);
    return lists;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RankedLists r
        && r.k == k
        && r.largest == largest
        && Arrays.equals(r.scores, scores)
        && Arrays.equals(r.indices, indices)
        && Arrays.equals(r.counts, counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(indices);
  }
}
