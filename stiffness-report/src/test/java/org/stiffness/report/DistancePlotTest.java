package org.stiffness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stiffness.summary.ExperimentSummary.DistanceBin;

class DistancePlotTest {
  /** Standard error of the mean from the values themselves: sample sd / sqrt(n). */
  private static double[] meanAndSe(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    double mean = sum / values.length;
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    return new double[] {mean, Math.sqrt(ss / (values.length - 1) / values.length)};
  }

  @Test
  void signStandardErrorOfAHandBuiltBinMatchesTheSampleStandardError() {
    // Five pairs, four stiff and one anti-stiff: mean 0.6, deviations 0.4 (x4) and -1.6,
    // sample variance (4 * 0.16 + 2.56) / 4 = 0.8, standard error sqrt(0.8 / 5) = 0.4.
    double[] signs = {1, 1, -1, 1, 1};
    double[] oracle = meanAndSe(signs);
    assertEquals(0.6, oracle[0], 1e-15);
    assertEquals(0.4, oracle[1], 1e-15);
    assertEquals(0.4, DistancePlot.standardError(0.6, 5), 1e-15);
    // Another: 7 of 10 stiff.
    double[] more = {1, 1, 1, 1, 1, 1, 1, -1, -1, -1};
    double[] o = meanAndSe(more);
    assertEquals(o[1], DistancePlot.standardError(o[0], 10), 1e-15);
  }

  @Test
  void cosineStandardErrorIsBoundedByTheSameFormula() {
    // Cosines in [-1, 1]: the bound is never below the real standard error...
    double[] cos = {0.9, 0.1, -0.3, 0.5, 0.45, 0.2};
    double[] o = meanAndSe(cos);
    assertTrue(DistancePlot.standardError(o[0], cos.length) >= o[1]);
    // ... and is attained when every cosine is at an end of [-1, 1].
    double[] ends = {1, -1, 1, 1};
    double[] e = meanAndSe(ends);
    assertEquals(e[1], DistancePlot.standardError(e[0], ends.length), 1e-15);
  }

  @Test
  void aBinOfOnePairHasNoStandardError() {
    assertTrue(Double.isNaN(DistancePlot.standardError(1.0, 1)));
    assertTrue(Double.isNaN(DistancePlot.standardError(Double.NaN, 50)));
  }

  @Test
  void binsUnderTheMinimumCountAreLeftOut() {
    long min = DistancePlot.MIN_BIN_PAIRS;
    assertEquals(Plots.MIN_BIN_PAIRS, min);
    DistanceBin enough = new DistanceBin(0.1, 0.2, min, 0.5, 0.25);
    DistanceBin sparse = new DistanceBin(1.7, 1.8, min - 1, 1.0, 1.0);
    DistanceBin empty = new DistanceBin(1.8, 1.9, 0, null, null);
    assertTrue(DistancePlot.shown(enough, DistanceBin::meanSign));
    assertFalse(DistancePlot.shown(sparse, DistanceBin::meanSign));
    assertFalse(DistancePlot.shown(empty, DistanceBin::meanCos));
  }
}
