package org.stiffness.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link RankCorrelation} against correlations worked out by hand, ties included. */
class RankCorrelationTest {

  @Test
  void ranksGiveTiedValuesTheMeanOfTheRanksTheySpan() {
    // Sorted: -1 (rank 1), 2 and 2 (ranks 2 and 3: 2.5 each), 5, 5, 5 (ranks 4..6: 5 each), 9 (7).
    assertArrayEquals(
        new double[] {5, 2.5, 1, 5, 7, 2.5, 5},
        RankCorrelation.ranks(new double[] {5, 2, -1, 5, 9, 2, 5}));
  }

  @Test
  void pearsonOfAHandWorkedCase() {
    // x {1, 2, 3}, y {1, 3, 2}: deviations {-1, 0, 1} and {-1, 1, 0}; sxy 1, sxx 2, syy 2: 0.5.
    assertEquals(0.5, RankCorrelation.pearson(new double[] {1, 2, 3}, new double[] {1, 3, 2}));
  }

  @Test
  void spearmanGivesTiesTheirMeanRank() {
    // y ranks {1.5, 1.5, 3, 4} against {1, 2, 3, 4}: sxy 4.5, sxx 5, syy 4.5, rho 4.5/sqrt(22.5).
    double rho = RankCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 1, 2, 3});
    assertEquals(4.5 / Math.sqrt(22.5), rho, 1e-12);
  }

  @Test
  void spearmanIsMinusOneForAnyStrictlyFallingCurve() {
    // Pearson's would not be -1 on this convex curve; the ranks are exactly reversed.
    double[] x = {0.05, 0.15, 0.25, 0.35};
    double[] y = {0.9, 0.2, 0.05, 0.01};
    assertEquals(-1.0, RankCorrelation.spearman(x, y), 1e-12);
    assertTrue(RankCorrelation.pearson(x, y) > -0.95);
  }

  @Test
  void aConstantSideHasNoCorrelation() {
    assertTrue(
        Double.isNaN(RankCorrelation.spearman(new double[] {1, 2, 3}, new double[] {4, 4, 4})));
  }
}
