package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramSide;

class PairStiffnessTest {

  @Test
  void cosineAndSignMatchFloat64Oracle() {
    Pool pool = new Pool(1, 30, 12, 1, 3);
    int[] x = Pool.range(0, 20);
    int[] y = Pool.range(10, 30);
    PairStiffness p = PairStiffness.of(pool.gram(x, y));
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        double c = pool.cosine(x[i], y[j]);
        assertEquals(c, p.cosine(i, j), 1e-5, "cos " + i + "," + j);
        assertEquals((int) Math.signum(c), p.sign(i, j), "sign " + i + "," + j);
      }
    }
    assertEquals(20 * 20 - 10, p.consideredPairs(), "10 shared examples give 10 self-pairs");
  }

  @Test
  void cosineIsClampedToUnitInterval() {
    // K_01 slightly above |g_0||g_1| = 1, as float rounding can produce for parallel gradients.
    GramMatrix g =
        new GramMatrix(
            side(7),
            side(8, 9),
            new float[] {1.0000001f, -1.0000001f},
            new double[] {1},
            new double[] {1, 1},
            new double[] {1},
            new double[] {1, 1},
            0);
    PairStiffness p = PairStiffness.of(g);
    assertEquals(1f, p.cosine(0, 0));
    assertEquals(-1f, p.cosine(0, 1));
  }

  @Test
  void zeroNormExamplesAreReportedZeroedAndInvalid() {
    Pool pool = new Pool(2, 6, 5, 1, 2);
    Arrays.fill(pool.grads[1], 0);
    Arrays.fill(pool.grads[4], 0);
    int[] x = {0, 1, 2};
    int[] y = {3, 4, 5, 1};
    PairStiffness p = PairStiffness.of(pool.gram(x, y));
    assertArrayEquals(new int[] {1}, p.zeroNormRows());
    assertArrayEquals(new int[] {1, 3}, p.zeroNormCols());
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        boolean expectValid = x[i] != 1 && y[j] != 4 && y[j] != 1;
        assertEquals(expectValid, p.valid(i, j));
        assertFalse(Float.isNaN(p.cosine(i, j)));
        if (!expectValid) {
          assertEquals(0f, p.cosine(i, j));
          assertEquals(0, p.sign(i, j));
        }
      }
    }
    // valid rows {0, 2} x valid cols {3, 5}, no shared ids
    assertEquals(4, p.consideredPairs());
  }

  @Test
  void nonFiniteSquaredNormIsAnErrorNamingTheExample() {
    GramMatrix g =
        new GramMatrix(
            side(0, 1),
            side(0, 1),
            new float[4],
            new double[] {1, 1},
            new double[] {1, Double.NaN},
            new double[] {1, 1},
            new double[] {1, 1},
            0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PairStiffness.of(g));
    assertTrue(e.getMessage().contains("column example 1"), e.getMessage());
  }

  @Test
  void uncertainSignCountMatchesTheErrorBound() {
    Pool pool = new Pool(4, 40, 8, 1, 2);
    int[] x = Pool.range(0, 30);
    int[] y = Pool.range(20, 40);
    double rel = 0.2; // bound = 0.2 |g_i||g_j|, i.e. uncertain iff |cos| <= 0.2
    PairStiffness p = PairStiffness.of(pool.gram(x, y, rel));
    long expected = 0;
    for (int a : x) {
      for (int b : y) {
        if (a != b && Math.abs(pool.cosine(a, b)) <= rel) {
          expected++;
        }
      }
    }
    assertTrue(expected > 20 && expected < 500, "fixture should mix certain and uncertain pairs");
    assertEquals(expected, p.uncertainSignPairs());
  }

  @Test
  void uncertainPairsWithZeroNormExamplesAreNotCounted() {
    // Example 1 has zero gradient: its pairs have K = 0 <= any bound but must not be counted.
    GramMatrix g =
        new GramMatrix(
            side(0, 1),
            side(2, 3),
            new float[] {1, 0, 0, 0},
            new double[] {1, 0},
            new double[] {1, 0},
            new double[] {1, 1},
            new double[] {1, 1},
            0.5);
    PairStiffness p = PairStiffness.of(g);
    assertEquals(1, p.consideredPairs());
    assertEquals(0, p.uncertainSignPairs());
  }

  /** Examples with these ids, all of class 0. */
  private static GramSide side(long... ids) {
    return new GramSide(ids, new int[ids.length]);
  }
}
