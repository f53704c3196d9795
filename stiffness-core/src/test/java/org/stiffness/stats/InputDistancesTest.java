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

  /** The plain one-dot-product-at-a-time loop, in double, as the engine computed it before. */
  private static float[] plainLoop(float[] x, int rows, float[] y, int cols, int dim) {
    float[] out = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      double nx = 0;
      for (int k = 0; k < dim; k++) {
        nx += (double) x[i * dim + k] * x[i * dim + k];
      }
      for (int j = 0; j < cols; j++) {
        double ny = 0;
        double dot = 0;
        for (int k = 0; k < dim; k++) {
          ny += (double) y[j * dim + k] * y[j * dim + k];
          dot += (double) x[i * dim + k] * y[j * dim + k];
        }
        double d = 1 - dot * (1 / Math.sqrt(nx)) * (1 / Math.sqrt(ny));
        out[i * cols + j] = (float) Math.max(0.0, Math.min(2.0, d));
      }
    }
    return out;
  }

  private static float[] random(int n, int dim, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] v = new float[n * dim];
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) r.nextGaussian();
    }
    return v;
  }

  @Test
  void blockedAndSymmetricLoopsAreBitwiseThePlainLoop() {
    int dim = 13;
    // Sizes around the block of four columns and odd row counts (the middle row of the pairing).
    for (int n : new int[] {1, 2, 3, 4, 5, 7, 9, 30}) {
      float[] x = random(n, dim, n);
      float[] expected = plainLoop(x, n, x, n, dim);
      InputDistances same = InputDistances.cosine(x, n, x, n, dim);
      InputDistances copy = InputDistances.cosine(x, n, x.clone(), n, dim);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          assertEquals(expected[i * n + j], same.get(i, j), "symmetric " + n + ": " + i + "," + j);
          assertEquals(expected[i * n + j], copy.get(i, j), "general " + n + ": " + i + "," + j);
        }
      }
      float[] y = random(n + 6, dim, 100 + n);
      float[] rect = plainLoop(x, n, y, n + 6, dim);
      InputDistances d = InputDistances.cosine(x, n, y, n + 6, dim);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n + 6; j++) {
          assertEquals(rect[i * (n + 6) + j], d.get(i, j), "rectangular " + n + ": " + i + "," + j);
        }
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
