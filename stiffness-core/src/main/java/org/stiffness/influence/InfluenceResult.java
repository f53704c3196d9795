package org.stiffness.influence;

import java.util.Arrays;
import java.util.List;

/**
 * TracInCP over a training set and a test set: for every test example its top-k proponents and
 * opponents among the training examples with their scores, and for every training example its
 * self-influence and its total influence on the test set. Training examples are named by their
 * position in the training {@code Examples} ({@code 0 .. N-1}), test examples likewise.
 *
 * <p>{@code TracIn(z, z') = sum_k w_k g_k(z) . g_k(z')}. The <b>proponents</b> of test example j
 * are the k training examples with the largest scores, largest first; the <b>opponents</b> the k
 * with the smallest (most negative) scores, smallest first (they may be positive when fewer than k
 * scores are negative). Equal scores are ranked by the smaller training index first, and scores
 * compare as numbers ({@code -0.0 == 0.0}); so the lists are unique, and the same whatever the
 * tiles, shards or device. Scores are the engine's fp32 entries of {@code K}, exact to the Gram's
 * rounding-error bound.
 */
public final class InfluenceResult {
  private final int trainSize;
  private final int testSize;
  private final RankedLists proponents;
  private final RankedLists opponents;
  private final double[] selfInfluence;
  private final double[] totalInfluence;
  private final List<String> checkpoints;
  private final double[] weights;
  private final List<String> layers;

  InfluenceResult(
      int trainSize,
      int testSize,
      RankedLists proponents,
      RankedLists opponents,
      double[] selfInfluence,
      double[] totalInfluence,
      List<String> checkpoints,
      double[] weights,
      List<String> layers) {
    this.trainSize = trainSize;
    this.testSize = testSize;
    this.proponents = proponents;
    this.opponents = opponents;
    this.selfInfluence = selfInfluence;
    this.totalInfluence = totalInfluence;
    this.checkpoints = List.copyOf(checkpoints);
    this.weights = weights.clone();
    this.layers = List.copyOf(layers);
  }

  /** N, the training examples. */
  public int trainSize() {
    return trainSize;
  }

  /** M, the test examples. */
  public int testSize() {
    return testSize;
  }

  /** Length of every list: the k asked for, at most N. */
  public int k() {
    return proponents.k();
  }

  /** The training indices of test example {@code test}'s proponents, largest score first. */
  public int[] proponents(int test) {
    return row(proponents.indices(), test);
  }

  /** The scores of {@link #proponents(int)}, in the same order. */
  public float[] proponentScores(int test) {
    return row(proponents.scores(), test);
  }

  /** The training indices of test example {@code test}'s opponents, most negative score first. */
  public int[] opponents(int test) {
    return row(opponents.indices(), test);
  }

  /** The scores of {@link #opponents(int)}, in the same order. */
  public float[] opponentScores(int test) {
    return row(opponents.scores(), test);
  }

  /** Every test example's proponents, {@code (M, k)} row-major (for {@code proponents.npy}). */
  public long[] proponentMatrix() {
    return longs(proponents.indices());
  }

  /** Their scores, {@code (M, k)} row-major (for {@code proponents_scores.npy}). */
  public float[] proponentScoreMatrix() {
    return proponents.scores().clone();
  }

  /** Every test example's opponents, {@code (M, k)} row-major (for {@code opponents.npy}). */
  public long[] opponentMatrix() {
    return longs(opponents.indices());
  }

  /** Their scores, {@code (M, k)} row-major (for {@code opponents_scores.npy}). */
  public float[] opponentScoreMatrix() {
    return opponents.scores().clone();
  }

  /**
   * {@code sum_k w_k |g_k(z_i)|^2} for every training example, shape {@code (N)}: the float64 sum
   * of each checkpoint's fp32 squared norm (which ranks mislabelled examples high).
   */
  public double[] selfInfluence() {
    return selfInfluence.clone();
  }

  /**
   * {@code sum_j TracIn(z_i, z'_j)} over the test set for every training example, shape {@code
   * (N)}: the row sums of {@code K}, each tile's row summed in fp32 on its device, the tiles' sums
   * added in float64 in plan order.
   */
  public double[] totalInfluence() {
    return totalInfluence.clone();
  }

  /** The names of the checkpoints summed over, in order. */
  public List<String> checkpoints() {
    return checkpoints;
  }

  /** Their weights {@code w_k}, in the same order. */
  public double[] weights() {
    return weights.clone();
  }

  /** The layers the gradients were restricted to; empty for all parameters. */
  public List<String> layers() {
    return layers;
  }

  /**
   * Whether {@code o} holds the same lists, scores and sums, bit for bit (what a merge of shards
   * must give).
   */
  public boolean sameBits(InfluenceResult o) {
    return o.trainSize == trainSize
        && o.testSize == testSize
        && o.proponents.equals(proponents)
        && o.opponents.equals(opponents)
        && Arrays.equals(o.selfInfluence, selfInfluence)
        && Arrays.equals(o.totalInfluence, totalInfluence);
  }

  private int[] row(int[] all, int test) {
    check(test);
    int k = k();
    return Arrays.copyOfRange(all, test * k, test * k + k);
  }

  private float[] row(float[] all, int test) {
    check(test);
    int k = k();
    return Arrays.copyOfRange(all, test * k, test * k + k);
  }

  private void check(int test) {
    if (test < 0 || test >= testSize) {
      throw new IndexOutOfBoundsException(
          "test example " + test + " of " + testSize + " (indices 0.." + (testSize - 1) + ")");
    }
  }

  private static long[] longs(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
