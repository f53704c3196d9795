package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramSide;

class ClassStiffnessTest {
  private static final int NC = 4;

  /** Plain double loop over pool examples, self-pairs judged by pool identity. */
  private static void assertMatchesBruteForce(Pool pool, int[] x, int[] y) {
    ClassStiffness cs = ClassStiffness.of(PairStiffness.of(pool.gram(x, y)), NC);
    long[] n = new long[NC * NC];
    double[] sign = new double[NC * NC];
    double[] cos = new double[NC * NC];
    for (int a : x) {
      for (int b : y) {
        if (a == b) {
          continue;
        }
        int cell = pool.labels[a] * NC + pool.labels[b];
        double c = pool.cosine(a, b);
        n[cell]++;
        cos[cell] += c;
        sign[cell] += Math.signum(c);
      }
    }
    double within = 0;
    double between = 0;
    for (int a = 0; a < NC; a++) {
      for (int b = 0; b < NC; b++) {
        int cell = a * NC + b;
        assertTrue(n[cell] > 0, "fixture should fill every cell");
        assertEquals(n[cell], cs.pairCount(a, b));
        assertEquals(sign[cell] / n[cell], cs.signStiffness(a, b), 1e-12);
        assertEquals(cos[cell] / n[cell], cs.cosineStiffness(a, b), 1e-6);
        if (a == b) {
          within += cos[cell] / n[cell];
        } else {
          between += cos[cell] / n[cell];
        }
      }
    }
    assertEquals(within / NC, cs.withinClassStiffness(StiffnessMeasure.COSINE), 1e-6);
    assertEquals(
        between / (NC * (NC - 1)), cs.betweenClassStiffness(StiffnessMeasure.COSINE), 1e-6);
  }

  @Test
  void squareMatchesBruteForce() {
    Pool pool = new Pool(11, 80, 6, 1, NC);
    int[] x = Pool.range(0, 80);
    assertMatchesBruteForce(pool, x, x);
  }

  @Test
  void rectangularWithSharedExamplesMatchesBruteForce() {
    Pool pool = new Pool(12, 120, 6, 1, NC);
    int[] x = Pool.range(0, 70);
    // Y shares examples 50..69 with X, in shuffled order so position says nothing about identity.
    int[] y = Pool.range(50, 120);
    Random r = new Random(5);
    for (int k = y.length - 1; k > 0; k--) {
      int m = r.nextInt(k + 1);
      int t = y[k];
      y[k] = y[m];
      y[m] = t;
    }
    assertMatchesBruteForce(pool, x, y);
  }

  @Test
  void handComputedThreeExamplesExcludeSelfPairs() {
    // Gradients g0 = (1, 0), g1 = (1, 1), g2 = (-1, 0); labels 0, 0, 1; X = Y = {0, 1, 2}.
    // K = [[1, 1, -1], [1, 2, -1], [-1, -1, 1]], |g|^2 = (1, 2, 1).
    // cos01 = 1/sqrt(2), cos02 = -1, cos12 = -1/sqrt(2).
    // C(0,0): pairs (0,1), (1,0) -> cos 1/sqrt(2) = 0.70711, sign 1 (self-pairs (0,0), (1,1) out).
    // C(0,1): pairs (0,2), (1,2) -> cos (-1 - 0.70711)/2 = -0.85355, sign -1.
    // C(1,1): only (2,2), a self-pair -> empty cell.
    // S_within over non-empty diagonal cells = C(0,0); S_between = (C(0,1) + C(1,0))/2 = -0.85355.
    GramSide side = new GramSide(new long[] {10, 11, 12}, new int[] {0, 0, 1});
    GramMatrix g =
        new GramMatrix(
            side,
            side,
            new float[] {1, 1, -1, 1, 2, -1, -1, -1, 1},
            new double[] {1, 2, 1},
            new double[] {1, 2, 1},
            new double[] {1, 1, 1},
            new double[] {1, 1, 1},
            0);
    ClassStiffness cs = ClassStiffness.of(PairStiffness.of(g), 2);
    double r = 1 / Math.sqrt(2);
    assertEquals(2, cs.pairCount(0, 0));
    assertEquals(r, cs.cosineStiffness(0, 0), 1e-6);
    assertEquals(1.0, cs.signStiffness(0, 0));
    assertEquals(2, cs.pairCount(0, 1));
    assertEquals((-1 - r) / 2, cs.cosineStiffness(0, 1), 1e-6);
    assertEquals(-1.0, cs.signStiffness(0, 1));
    assertEquals((-1 - r) / 2, cs.cosineStiffness(1, 0), 1e-6);
    assertEquals(0, cs.pairCount(1, 1));
    assertTrue(Double.isNaN(cs.cosineStiffness(1, 1)));
    assertEquals(r, cs.withinClassStiffness(StiffnessMeasure.COSINE), 1e-6);
    assertEquals((-1 - r) / 2, cs.betweenClassStiffness(StiffnessMeasure.COSINE), 1e-6);
    assertEquals(1, cs.nonEmptyWithinCells());
    assertEquals(2, cs.nonEmptyBetweenCells());
  }

  @Test
  void zeroNormExamplesAreExcludedAndProduceNoNaN() {
    // Example 1 of the 3-example case above now has a zero gradient.
    GramSide side = new GramSide(new long[] {10, 11, 12}, new int[] {0, 0, 0});
    GramMatrix g =
        new GramMatrix(
            side,
            side,
            new float[] {1, 0, -1, 0, 0, 0, -1, 0, 1},
            new double[] {1, 0, 1},
            new double[] {1, 0, 1},
            new double[] {1, 1, 1},
            new double[] {1, 1, 1},
            0);
    PairStiffness p = PairStiffness.of(g);
    ClassStiffness cs = ClassStiffness.of(p, 1);
    // Only (0,2) and (2,0) remain, both cos -1.
    assertEquals(2, cs.pairCount(0, 0));
    assertEquals(-1.0, cs.cosineStiffness(0, 0), 1e-7);
    assertEquals(-1.0, cs.signStiffness(0, 0));
    for (float c : p.cosineValues()) {
      assertFalse(Float.isNaN(c));
    }
  }

  @Test
  void labelOutsideClassRangeIsAnErrorNamingTheExample() {
    Pool pool = new Pool(13, 4, 3, 1, 2);
    int[] x = Pool.range(0, 4);
    PairStiffness p = PairStiffness.of(pool.gram(x, x));
    IllegalArgumentException e =
        Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> ClassStiffness.compute(p, new int[] {0, 1, 2, 0}, new int[] {0, 0, 0, 0}, 2));
    assertTrue(e.getMessage().contains("rowLabels[2]"), e.getMessage());
  }
}
