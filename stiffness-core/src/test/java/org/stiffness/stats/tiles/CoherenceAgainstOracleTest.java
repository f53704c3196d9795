package org.stiffness.stats.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TestTiles;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.GradientCoherence;
import org.stiffness.stats.GradientCoherence.MostNegative;
import org.stiffness.stats.PairStiffness;
import org.stiffness.stats.Pool;
import org.stiffness.stats.tiles.TileReductionsAgainstOracleTest.Reducing;

/**
 * Gradient coherence and confusion from the tile reductions, on gradients chosen so that a wrong
 * answer shows: every gradient in the positive orthant except one pair of opposite directions
 * repeated twice (four pairs share the most negative value), and zero gradients whose pairs (inner
 * product and cosine 0) would be the minimum of a class if they were not left out.
 */
class CoherenceAgainstOracleTest {
  private static final int M = 40;
  private static final int CLASSES = 3;

  /** Examples 3 and 20 are -10 e0, 9 and 25 are 10 e0; 5 and 17 have zero gradients. */
  private static Pool pool() {
    Pool pool = new Pool(7, M, 6, 4, CLASSES);
    for (double[] g : pool.grads) {
      for (int k = 0; k < g.length; k++) {
        g[k] = Math.abs(g[k]) + 0.05;
      }
    }
    for (int e : new int[] {3, 20, 9, 25}) {
      Arrays.fill(pool.grads[e], 0);
      pool.grads[e][0] = e == 3 || e == 20 ? -10 : 10;
    }
    Arrays.fill(pool.grads[5], 0);
    Arrays.fill(pool.grads[17], 0);
    // 3 and 9 in class 0 with 5; 20 and 25 in class 1 (and no other example of class 1 or 2
    // there); 17 in class 2.
    for (int e : new int[] {3, 9, 5}) {
      pool.labels[e] = 0;
    }
    for (int e : new int[] {20, 25}) {
      pool.labels[e] = 1;
    }
    pool.labels[17] = 2;
    return pool;
  }

  private static GradientCoherence reduce(Pool pool, int block, Reducing how) {
    int[] x = Pool.range(0, M);
    GramMatrix k = pool.gram(x, x, TestTiles.relativeError(Precision.FP32, 6));
    PairingSide side = new PairingSide(Pool.ids(x), pool.labels(x));
    StatisticsSpec spec =
        new StatisticsSpec(side, side, CLASSES, List.of(), null, StatisticsOptions.defaults());
    PairingStatistics s =
        TileReductionsAgainstOracleTest.reduce(
            k, new TilePlan(M, M, true, block, block), spec, how);
    Oracle.assertCoherence(
        Oracle.coherence(k, PairStiffness.of(k), side.labels(), CLASSES), s.coherence());
    return s.coherence();
  }

  @ParameterizedTest
  @EnumSource(Reducing.class)
  void theSmallestPairOfEqualMinimaIsReportedWhateverTheTiles(Reducing how) {
    Pool pool = pool();
    for (int block : new int[] {M, 8, 5}) {
      GradientCoherence c = reduce(pool, block, how);
      String tiles = "blocks of " + block;
      // Four pairs have inner product -100 and cosine -1 (the other pairs lie above both): {3, 9},
      // {3, 25}, {9, 20}, {20, 25}.
      assertEquals(new MostNegative(-100, 3, 9), c.innerProduct(), tiles);
      assertEquals(new MostNegative(-1, 3, 9), c.cosine(), tiles);
      assertEquals(new MostNegative(-1, 3, 9), c.classCosine()[0], tiles);
      assertEquals(new MostNegative(-100, 20, 25), c.classInnerProduct()[1], tiles);
      // Class 2 has positive-orthant gradients and the zero gradient of example 17: its minima
      // are positive unless the zeros of 17's pairs leak in.
      for (MostNegative positive :
          new MostNegative[] {c.classInnerProduct()[2], c.classCosine()[2]}) {
        assertTrue(positive.value() > 0, tiles + ": " + positive);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Reducing.class)
  void alphaIsTheSquaredNormOfTheSummedGradientOverMTimesTheTrace(Reducing how) {
    Pool pool = pool();
    GradientCoherence c = reduce(pool, 8, how);
    // An oracle independent of the Gram matrix: |sum_i g_i|^2 / (m sum_i |g_i|^2) in float64
    // from the gradients themselves (the Gram's fp32 entries differ from it by rounding only).
    double[] sum = new double[pool.grads[0].length];
    double trace = 0;
    double[][] classSum = new double[CLASSES][sum.length];
    double[] classTrace = new double[CLASSES];
    int[] classCount = new int[CLASSES];
    for (int e = 0; e < M; e++) {
      int label = pool.labels[e];
      classCount[label]++;
      for (int k = 0; k < sum.length; k++) {
        sum[k] += pool.grads[e][k];
        classSum[label][k] += pool.grads[e][k];
      }
      trace += Pool.dot(pool.grads[e], pool.grads[e]);
      classTrace[label] += Pool.dot(pool.grads[e], pool.grads[e]);
    }
    assertEquals(M, c.examples());
    assertEquals(Pool.dot(sum, sum) / (M * trace), c.alpha(), 1e-6 * c.alpha());
    assertEquals(Pool.dot(sum, sum) / trace, c.ratio(), 1e-6 * c.ratio());
    for (int l = 0; l < CLASSES; l++) {
      double expected = Pool.dot(classSum[l], classSum[l]) / (classCount[l] * classTrace[l]);
      assertEquals(expected, c.classAlpha()[l], 1e-6 * expected, "class " + l);
    }
  }

  @ParameterizedTest
  @EnumSource(Reducing.class)
  void aPairingOfTwoSetsHasNoCoherence(Reducing how) {
    Pool pool = pool();
    int[] x = Pool.range(0, 12);
    int[] y = Pool.range(12, 30);
    GramMatrix k = pool.gram(x, y, 0);
    StatisticsSpec spec =
        new StatisticsSpec(
            new PairingSide(Pool.ids(x), pool.labels(x)),
            new PairingSide(Pool.ids(y), pool.labels(y)),
            CLASSES,
            List.of(),
            null,
            StatisticsOptions.defaults());
    PairingStatistics s =
        TileReductionsAgainstOracleTest.reduce(k, new TilePlan(12, 18, false, 5, 5), spec, how);
    assertNull(s.coherence());
  }
}
