package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramSide;

class CriticalLengthTest {
  private static final int N = 80;

  /**
   * X = Y = N examples, labels alternate 0/1. Within-class pairs get cosine stiffness {@code
   * trend(d) + N(0, noise)}; between-class pairs get a constant 0.9 that must not enter the fit.
   * Unit gradient norms make the Gram entry equal to the cosine.
   */
  private record Synthetic(PairStiffness pairs, InputDistances distances, int[] labels) {
    static Synthetic of(
        long seed, DoubleUnaryOperator trend, double noise, double dLo, double dHi) {
      return of(seed, trend, noise, dLo, dHi, 0.9);
    }

    static Synthetic of(
        long seed,
        DoubleUnaryOperator trend,
        double noise,
        double dLo,
        double dHi,
        double between) {
      Random r = new Random(seed);
      float[] k = new float[N * N];
      float[] d = new float[N * N];
      int[] labels = new int[N];
      for (int i = 0; i < N; i++) {
        labels[i] = i % 2;
      }
      for (int i = 0; i < N; i++) {
        for (int j = i; j < N; j++) {
          double dist = i == j ? 0 : dLo + (dHi - dLo) * r.nextDouble();
          double y =
              i == j
                  ? 1
                  : labels[i] == labels[j]
                      ? trend.applyAsDouble(dist) + noise * r.nextGaussian()
                      : between;
          y = Math.max(-1, Math.min(1, y));
          k[i * N + j] = k[j * N + i] = (float) y;
          d[i * N + j] = d[j * N + i] = (float) dist;
        }
      }
      double[] ones = new double[N];
      Arrays.fill(ones, 1);
      long[] ids = new long[N];
      for (int i = 0; i < N; i++) {
        ids[i] = 1000 + i;
      }
      GramSide side = new GramSide(ids, labels);
      GramMatrix g = new GramMatrix(side, side, k, ones, ones, ones, ones, 0);
      return new Synthetic(PairStiffness.of(g), new InputDistances(N, N, d), labels);
    }

    CriticalLength.Result estimate(CriticalLength.Config c) {
      return CriticalLength.estimate(pairs, distances, labels, labels, c);
    }
  }

  private static final DoubleUnaryOperator CROSS_AT_08 = d -> 0.5 * (1 - d / 0.8);

  @Test
  void recoversAKnownCrossingInsideTheInterval() {
    Synthetic s = Synthetic.of(1, CROSS_AT_08, 0.1, 0.05, 1.55);
    var e =
        assertInstanceOf(
            CriticalLength.Estimate.class, s.estimate(CriticalLength.Config.defaults()));
    assertEquals(0.8, e.xi(), 0.03);
    assertTrue(e.low() < 0.8 && 0.8 < e.high(), e.toString());
    assertTrue(e.low() <= e.xi() && e.xi() <= e.high(), e.toString());
    assertTrue(e.high() - e.low() < 0.1, "interval should be informative: " + e);
    assertEquals(-0.625, e.slope(), 0.03);
    assertEquals(N * (N / 2 - 1), e.pairs(), "ordered within-class non-self pairs");
    assertEquals(N, e.examples());
  }

  @Test
  void slopeAndCrossingMatchLeastSquaresOracle() {
    Synthetic s = Synthetic.of(2, CROSS_AT_08, 0.2, 0.05, 1.55);
    var e =
        assertInstanceOf(
            CriticalLength.Estimate.class, s.estimate(CriticalLength.Config.defaults()));
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        if (i != j && s.labels[i] == s.labels[j]) {
          double x = s.distances.get(i, j);
          double y = s.pairs.cosine(i, j);
          n++;
          sx += x;
          sy += y;
          sxx += x * x;
          sxy += x * y;
        }
      }
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    double intercept = (sy - slope * sx) / n;
    assertEquals(slope, e.slope(), 1e-9);
    assertEquals(intercept, e.intercept(), 1e-9);
    assertEquals(-intercept / slope, e.xi(), 1e-9);
  }

  @Test
  void allPairsFitMatchesLeastSquaresOverEveryNonSelfPair() {
    // Between-class pairs sit at a constant -0.3: they pull the all-pairs fit away from the
    // within-class one (crossing near d = 0.32 instead of 0.8), so the two estimates must differ
    // and the all-pairs one must match least squares over every non-self pair.
    Synthetic s = Synthetic.of(3, CROSS_AT_08, 0.2, 0.05, 1.55, -0.3);
    var all =
        assertInstanceOf(
            CriticalLength.Estimate.class,
            CriticalLength.estimateAllPairs(
                s.pairs, s.distances, CriticalLength.Config.defaults().withWindow(0, 1.2)));
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        double x = s.distances.get(i, j);
        if (i != j && x <= 1.2) {
          double y = s.pairs.cosine(i, j);
          n++;
          sx += x;
          sy += y;
          sxx += x * x;
          sxy += x * y;
        }
      }
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    double intercept = (sy - slope * sx) / n;
    assertEquals((long) n, all.pairs());
    assertEquals(slope, all.slope(), 1e-9);
    assertEquals(intercept, all.intercept(), 1e-9);
    var within =
        assertInstanceOf(
            CriticalLength.Estimate.class,
            s.estimate(CriticalLength.Config.defaults().withWindow(0, 1.2)));
    assertNotEquals(within.slope(), all.slope(), 1e-3);
    assertEquals(0.32, all.xi(), 0.05);
    assertEquals(0.8, within.xi(), 0.05);
  }

  @Test
  void signMeasureFindsTheSameCrossingForSymmetricNoise() {
    // P(sign > 0) falls through 1/2 at d = 0.8, and the distances are symmetric around 0.8.
    Synthetic s = Synthetic.of(3, CROSS_AT_08, 0.1, 0.05, 1.55);
    var e =
        assertInstanceOf(
            CriticalLength.Estimate.class,
            s.estimate(CriticalLength.Config.defaults().withMeasure(StiffnessMeasure.SIGN)));
    assertEquals(0.8, e.xi(), 0.05);
  }

  @Test
  void windowRestrictsTheFittedPairs() {
    // Linear trend only on [0, 1]; beyond it stiffness plateaus at -0.125, which would bias a fit.
    Synthetic s = Synthetic.of(4, d -> d < 1 ? 0.5 * (1 - d / 0.8) : -0.125, 0.05, 0.05, 1.95);
    var e =
        assertInstanceOf(
            CriticalLength.Estimate.class,
            s.estimate(CriticalLength.Config.defaults().withWindow(0, 1)));
    assertEquals(0.8, e.xi(), 0.02);
    assertTrue(e.maxDistance() <= 1);
  }

  @Test
  void increasingStiffnessReportsNonNegativeSlope() {
    Synthetic s = Synthetic.of(5, d -> 0.2 + 0.3 * d, 0.1, 0.05, 1.55);
    var no =
        assertInstanceOf(
            CriticalLength.NoCrossing.class, s.estimate(CriticalLength.Config.defaults()));
    assertEquals(CriticalLength.Reason.NON_NEGATIVE_SLOPE, no.reason());
  }

  @Test
  void crossingBeyondObservedDistancesIsReportedNotExtrapolated() {
    Synthetic s = Synthetic.of(6, d -> 0.9 - 0.1 * d, 0.05, 0.05, 1.55);
    var no =
        assertInstanceOf(
            CriticalLength.NoCrossing.class, s.estimate(CriticalLength.Config.defaults()));
    assertEquals(CriticalLength.Reason.CROSSING_OUTSIDE_RANGE, no.reason());
    assertTrue(no.detail().contains("outside"), no.detail());
  }

  @Test
  void tooFewPairsIsReported() {
    Synthetic s = Synthetic.of(7, CROSS_AT_08, 0.1, 0.05, 1.55);
    // A window that holds no pair at all.
    var no =
        assertInstanceOf(
            CriticalLength.NoCrossing.class,
            s.estimate(CriticalLength.Config.defaults().withWindow(1.7, 2)));
    assertEquals(CriticalLength.Reason.TOO_FEW_PAIRS, no.reason());
    assertEquals(0, no.pairs());
  }

  @Test
  void sameSeedGivesIdenticalResultAndOtherSeedsDiffer() {
    Synthetic s = Synthetic.of(8, CROSS_AT_08, 0.3, 0.05, 1.55);
    CriticalLength.Config c = CriticalLength.Config.defaults().withSeed(42);
    assertEquals(s.estimate(c), s.estimate(c));
    var a = (CriticalLength.Estimate) s.estimate(c);
    var b = (CriticalLength.Estimate) s.estimate(c.withSeed(43));
    assertEquals(a.xi(), b.xi(), "the point estimate does not depend on the seed");
    assertNotEquals(a.low(), b.low());
  }
}
