package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Random;
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
    Random r = new Random(seed);
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
  void chosenPairsAreBitwiseThePlainLoop() {
    int dim = 29;
    int n = 11;
    int m = 9;
    float[] x = random(n, dim, 7);
    float[] y = random(m, dim, 8);
    float[] expected = plainLoop(x, n, y, m, dim);
    double[] rowInv = InputDistances.inverseNorms("row", x, n, dim);
    double[] colInv = InputDistances.inverseNorms("column", y, m, dim);
    // Seven pairs (a group of four and a remainder of three), in no order, one repeated.
    int[] rowOf = {3, 0, 10, 3, 5, 3, 7};
    int[] colOf = {8, 0, 4, 8, 1, 2, 6};
    float[] out = new float[rowOf.length + 2];
    InputDistances.distancesOf(x, y, dim, rowInv, colInv, rowOf, colOf, out, 0, rowOf.length);
    for (int p = 0; p < rowOf.length; p++) {
      assertEquals(expected[rowOf[p] * m + colOf[p]], out[p], "pair " + p);
    }
    assertEquals(0f, out[rowOf.length], "nothing written beyond the pairs asked for");
  }

  @Test
  void engineDotProductsMatchTheJavaLoopBlockByBlock() {
    int dim = 37;
    float[] x = random(23, dim, 1);
    float[] y = random(11, dim, 2);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      double[] dots = new double[23 * 11];
      boolean[] seen = new boolean[23];
      // 5 rows of 11 float64 products per block: blocks of 5, 5, 5, 5 and a ragged 3.
      InputDotProducts.compute(
          x,
          23,
          y,
          11,
          dim,
          manager,
          5 * 11 * 8,
          (from, count, block) -> {
            assertEquals(Math.min(5, 23 - from), count);
            System.arraycopy(block, 0, dots, from * 11, count * 11);
            for (int r = from; r < from + count; r++) {
              seen[r] = true;
            }
          });
      for (int i = 0; i < 23; i++) {
        assertTrue(seen[i], "row " + i);
        for (int j = 0; j < 11; j++) {
          double expected = 0;
          for (int k = 0; k < dim; k++) {
            expected += (double) x[i * dim + k] * y[j * dim + k];
          }
          assertEquals(expected, dots[i * 11 + j], 1e-12 * dim, i + "," + j);
        }
      }
    }
  }

  @Test
  void engineDistancesEqualTheJavaLoopsAsFloats() {
    int dim = 50;
    float[] x = random(300, dim, 7);
    float[] y = random(170, dim, 8);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      for (float[][] pair : new float[][][] {{x, x}, {x, y}}) {
        int cols = pair[1].length / dim;
        InputDistances java = InputDistances.cosine(pair[0], 300, pair[1], cols, dim);
        InputDistances engine = InputDistances.cosine(pair[0], 300, pair[1], cols, dim, manager);
        int exact = 0;
        for (int i = 0; i < 300; i++) {
          for (int j = 0; j < cols; j++) {
            assertEquals(java.get(i, j), engine.get(i, j), 2.5e-7, i + "," + j);
            exact += java.get(i, j) == engine.get(i, j) ? 1 : 0;
          }
        }
        // Summation order changes a float64 sum by ~1e-16: a stored float almost never moves.
        assertTrue(exact >= 0.99 * 300 * cols, exact + " of " + 300 * cols + " bitwise");
      }
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  InputDistances.cosine(new float[] {0, 0}, 1, new float[] {1, 2}, 1, 2, manager));
      assertTrue(e.getMessage().contains("row example 0"), e.getMessage());
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
