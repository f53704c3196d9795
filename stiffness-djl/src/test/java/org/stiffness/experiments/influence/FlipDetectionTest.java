package org.stiffness.experiments.influence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FlipDetectionTest {
  private static final boolean T = true;
  private static final boolean F = false;

  @Test
  void perfectRankingIsOneAndReversedIsZero() {
    boolean[] flipped = {T, F, T, F};
    assertEquals(1.0, FlipDetection.auc(new double[] {9, 1, 8, 2}, flipped), 0);
    assertEquals(0.0, FlipDetection.auc(new double[] {1, 9, 2, 8}, flipped), 0);
  }

  @Test
  void handCountedPairsWithoutTies() {
    // Positives 5 and 2, negatives 4, 3, 1: pairs won by the positive (5>4, 5>3, 5>1, 2>1) = 4 of
    // 6.
    double[] score = {5, 4, 3, 2, 1};
    boolean[] flipped = {T, F, F, T, F};
    assertEquals(4.0 / 6.0, FlipDetection.auc(score, flipped), 1e-15);
  }

  @Test
  void aTieCountsOneHalf() {
    // Positive 3 against negatives 3 (tie, 1/2) and 1 (win, 1); positive 1 against 3 (loss) and 1
    // (tie, 1/2): 2 of 4 pairs.
    double[] score = {3, 3, 1, 1};
    boolean[] flipped = {T, F, T, F};
    assertEquals(0.5, FlipDetection.auc(score, flipped), 1e-15);
    // All equal: every pair a tie.
    assertEquals(0.5, FlipDetection.auc(new double[] {2, 2, 2}, new boolean[] {T, F, F}), 1e-15);
  }

  @Test
  void agreesWithCountingEveryPairOnRandomScoresWithTies() {
    Random random = new Random(7);
    for (int trial = 0; trial < 20; trial++) {
      int n = 2 + random.nextInt(60);
      double[] score = new double[n];
      boolean[] flipped = new boolean[n];
      for (int i = 0; i < n; i++) {
        score[i] = random.nextInt(6); // many ties
        flipped[i] = random.nextInt(3) == 0;
      }
      flipped[0] = true;
      flipped[1] = false;
      double wins = 0;
      long pairs = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (flipped[i] && !flipped[j]) {
            pairs++;
            wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
          }
        }
      }
      assertEquals(wins / pairs, FlipDetection.auc(score, flipped), 1e-12, "trial " + trial);
    }
  }

  @Test
  void noFlippedOrNoCleanExampleHasNoAuc() {
    assertTrue(Double.isNaN(FlipDetection.auc(new double[] {1, 2}, new boolean[] {F, F})));
    assertTrue(Double.isNaN(FlipDetection.auc(new double[] {1, 2}, new boolean[] {T, T})));
  }

  @Test
  void refusesNaNAndMismatchedLengths() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FlipDetection.auc(new double[] {1, Double.NaN}, new boolean[] {T, F}));
    assertThrows(
        IllegalArgumentException.class,
        () -> FlipDetection.auc(new double[] {1, 2}, new boolean[] {T}));
  }

  @Test
  void foundByInspectedCountsFromTheHighestScoreDown() {
    // Descending order: 5 (flipped), 4, 3 (flipped), 2, 1.
    double[] score = {3, 5, 1, 4, 2};
    boolean[] flipped = {T, T, F, F, F};
    assertArrayEquals(
        new double[] {0, 0.5, 0.5, 1, 1, 1}, FlipDetection.foundByInspected(score, flipped), 0);
  }

  @Test
  void foundByInspectedBreaksTiesByIndex() {
    // All tied: inspected in index order 0, 1, 2.
    assertArrayEquals(
        new double[] {0, 0, 1, 1},
        FlipDetection.foundByInspected(new double[] {1, 1, 1}, new boolean[] {F, T, F}),
        0);
  }
}
