package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InputDistancesTest {

  @Test
  void matchesFloat64Oracle() {
    Pool pool = new Pool(21, 25, 1, 17, 2);
    int[] x = Pool.range(0, 15);
    int[] y = Pool.range(5, 25);
    InputDistances d =
        InputDistances.cosine(pool.flatInputs(x), x.length, pool.flatInputs(y), y.length, 17);
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        double expected = x[i] == y[j] ? 0 : pool.distance(x[i], y[j]);
        assertEquals(expected, d.get(i, j), 1e-6, i + "," + j);
      }
    }
  }

  @Test
  void zeroInputVectorIsAnErrorNamingTheExample() {
    float[] rows = {1, 0, 0, 0};
    float[] cols = {1, 1, 0, 0, 0, 2};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> InputDistances.cosine(rows, 2, cols, 3, 2));
    assertTrue(e.getMessage().contains("row example 1"), e.getMessage());
  }

  @Test
  void antiParallelInputsAreAtDistanceTwo() {
    InputDistances d = InputDistances.cosine(new float[] {1, 2}, 1, new float[] {-3, -6}, 1, 2);
    assertEquals(2f, d.get(0, 0), 1e-7);
  }

  @Test
  void precomputedDistancesOutsideRangeAreRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> new InputDistances(1, 2, new float[] {0.5f, 2.5f}));
  }
}
