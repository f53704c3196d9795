package org.stiffness.experiments.influence;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How well a score finds the flipped labels when the training set is inspected from the highest
 * score down: the ROC AUC, and the curve of the share of flipped labels found against the share of
 * the training set inspected.
 */
public final class FlipDetection {
  private FlipDetection() {}

  /**
   * The ROC AUC of ranking by {@code score}, flipped examples the positives: the Mann-Whitney
   * statistic, the probability that a flipped example scores above a clean one, a tie counted as
   * one half. 1 ranks every flipped example first, 0.5 is chance.
   *
   * @param score (N), higher meaning more suspect; NaN is refused
   * @param flipped (N), whether each example was flipped
   * @return the AUC, or NaN when there is no flipped or no clean example
   * @throws IllegalArgumentException for different lengths or a NaN score
   */
  public static double auc(double[] score, boolean[] flipped) {
    int n = check(score, flipped);
    long positives = 0;
    for (boolean f : flipped) {
      positives += f ? 1 : 0;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    // Ascending by score; a run of equal scores shares the mean of its ranks (1-based), which
    // counts each tied positive-negative pair as one half.
    Integer[] order = ascending(score);
    double rankSum = 0;
    for (int from = 0; from < n; ) {
      int to = from + 1;
      while (to < n && score[order[to]] == score[order[from]]) {
        to++;
      }
      double meanRank = (from + 1 + to) / 2.0;
      for (int k = from; k < to; k++) {
        if (flipped[order[k]]) {
          rankSum += meanRank;
        }
      }
      from = to;
    }
    double u = rankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }

  /**
   * The share of flipped examples found after inspecting the {@code k} highest-scoring examples,
   * for {@code k = 0..N}: element {@code k} of the result. Equal scores are inspected in index
   * order, a convention that only matters within a tie.
   *
   * @return (N + 1) shares in [0, 1], starting at 0; all 0 when nothing was flipped
   */
  public static double[] foundByInspected(double[] score, boolean[] flipped) {
    int n = check(score, flipped);
    long positives = 0;
    for (boolean f : flipped) {
      positives += f ? 1 : 0;
    }
    double[] found = new double[n + 1];
    long hits = 0;
    // Highest first, ties in index order.
    Integer[] descending = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(
        descending, Comparator.comparingDouble((Integer i) -> -score[i]).thenComparingInt(i -> i));
    for (int k = 0; k < n; k++) {
      hits += flipped[descending[k]] ? 1 : 0;
      found[k + 1] = positives == 0 ? 0 : hits / (double) positives;
    }
    return found;
  }

  private static Integer[] ascending(double[] score) {
    Integer[] order = IntStream.range(0, score.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score[i]));
    return order;
  }

  private static int check(double[] score, boolean[] flipped) {
    if (score.length != flipped.length) {
      throw new IllegalArgumentException(
          score.length + " scores for " + flipped.length + " flipped-or-clean marks");
    }
    for (int i = 0; i < score.length; i++) {
      if (Double.isNaN(score[i])) {
        throw new IllegalArgumentException("score " + i + " is NaN");
      }
    }
    return score.length;
  }
}
