package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DistanceProfileTest {
  private static final int DIM = 8;

  private record Oracle(long[] n, double[] sign, double[] cos, long outside) {}

  /** Plain loops over pool examples: float64 distances, bin by edge comparison. */
  private static Oracle oracle(
      Pool pool, int[] x, int[] y, double[] edges, boolean withinOnly, int zeroGradExample) {
    int nb = edges.length - 1;
    long[] n = new long[nb];
    double[] s = new double[nb];
    double[] c = new double[nb];
    long outside = 0;
    for (int a : x) {
      for (int b : y) {
        if (a == b || a == zeroGradExample || b == zeroGradExample) {
          continue;
        }
        if (withinOnly && pool.labels[a] != pool.labels[b]) {
          continue;
        }
        double d = pool.distance(a, b);
        int k = -1;
        for (int m = 0; m < nb; m++) {
          if (d >= edges[m] && (d < edges[m + 1] || (m == nb - 1 && d == edges[nb]))) {
            k = m;
          }
        }
        if (k < 0) {
          outside++;
          continue;
        }
        double cos = pool.cosine(a, b);
        n[k]++;
        c[k] += cos;
        s[k] += Math.signum(cos);
      }
    }
    return new Oracle(n, s, c, outside);
  }

  private static void assertCurve(Oracle o, BinnedStiffness curve) {
    assertEquals(o.n.length, curve.binCount());
    for (int k = 0; k < o.n.length; k++) {
      assertEquals(o.n[k], curve.pairs(k), "pairs in bin " + k);
      if (o.n[k] == 0) {
        assertTrue(Double.isNaN(curve.meanCosine(k)));
      } else {
        assertEquals(o.cos[k] / o.n[k], curve.meanCosine(k), 1e-6, "cos in bin " + k);
        assertEquals(o.sign[k] / o.n[k], curve.meanSign(k), 1e-12, "sign in bin " + k);
      }
    }
  }

  private static DistanceProfile profile(Pool pool, int[] x, int[] y, DistanceBins bins) {
    PairStiffness p = PairStiffness.of(pool.gram(x, y));
    InputDistances d =
        InputDistances.cosine(pool.flatInputs(x), x.length, pool.flatInputs(y), y.length, DIM);
    return DistanceProfile.compute(p, d, pool.labels(x), pool.labels(y), bins);
  }

  @Test
  void defaultBinsMatchBruteForceWithSharedAndZeroGradientExamples() {
    Pool pool = new Pool(31, 90, 5, DIM, 3);
    Arrays.fill(pool.grads[40], 0); // in both X and Y: excluded everywhere
    int[] x = Pool.range(0, 60);
    int[] y = Pool.range(30, 90);
    DistanceProfile prof = profile(pool, x, y, DistanceBins.defaults());
    double[] edges = DistanceBins.defaults().edges();
    Oracle all = oracle(pool, x, y, edges, false, 40);
    assertCurve(all, prof.allPairs());
    assertCurve(oracle(pool, x, y, edges, true, 40), prof.withinClass());
    assertEquals(0, prof.outOfRangePairs());
    // 60 x 60 pairs, minus 30 self-pairs (ids 30..59), minus the 59 + 59 non-self pairs of
    // example 40 in its row and its column.
    assertEquals(60 * 60 - 30 - 59 - 59, Arrays.stream(all.n).sum(), "pair bookkeeping");
  }

  @Test
  void givenEdgesCountPairsOutsideThem() {
    Pool pool = new Pool(32, 50, 5, DIM, 2);
    int[] x = Pool.range(0, 50);
    double[] edges = {0.6, 0.8, 1.0, 1.2, 1.4};
    DistanceProfile prof = profile(pool, x, x, DistanceBins.of(edges));
    Oracle all = oracle(pool, x, x, edges, false, -1);
    assertCurve(all, prof.allPairs());
    assertTrue(all.outside > 0);
    assertEquals(all.outside, prof.outOfRangePairs());
  }
}
