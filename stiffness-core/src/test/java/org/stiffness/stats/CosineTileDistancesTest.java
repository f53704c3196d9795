package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stiffness.gram.TilePlan;

/**
 * Distances made tile by tile against the whole-matrix Java loop of {@link InputDistances}: the
 * same float64 expression, so equal up to the dot products' summation order.
 */
class CosineTileDistancesTest {

  private static float[] inputs(int n, int d, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  @Test
  void everyTileHoldsTheWholeMatrixDistances() {
    int n = 45;
    int m = 31;
    int d = 50;
    float[] x = inputs(n, d, 1);
    float[] y = inputs(m, d, 2);
    InputDistances whole = InputDistances.cosine(x, n, y, m, d);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        CosineTileDistances tiles = new CosineTileDistances(x, n, y, m, d, manager)) {
      TilePlan plan = new TilePlan(n, m, false, 16, 16);
      long pairs = 0;
      long bitwise = 0;
      for (TilePlan.Tile t : plan.tiles()) {
        float[] host = tiles.hostTile(t, manager);
        float[] device = tiles.tile(t, manager).toFloatArray();
        assertArrayEquals(host, device, t + ": host and device finishing agree bitwise");
        for (int i = 0; i < t.height(); i++) {
          for (int j = 0; j < t.width(); j++) {
            float expected = whole.get(t.rowStart() + i, t.colStart() + j);
            float got = host[i * t.width() + j];
            assertEquals(expected, got, 1e-6, t + " (" + i + ", " + j + ")");
            bitwise += expected == got ? 1 : 0;
            pairs++;
          }
        }
      }
      assertEquals((long) n * m, pairs);
      assertTrue(bitwise >= pairs * 99 / 100, bitwise + " of " + pairs + " bitwise equal");
    }
  }

  @Test
  void aZeroInputOrATileBeyondTheSetsIsRefused() {
    float[] x = inputs(4, 3, 3);
    x[6] = x[7] = x[8] = 0; // example 2 is the zero vector
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new CosineTileDistances(x, 4, x, 4, 3, manager));
      assertTrue(e.getMessage().contains("row example 2"), e.getMessage());
      float[] ok = inputs(4, 3, 4);
      try (CosineTileDistances d = new CosineTileDistances(ok, 4, ok, 4, 3, manager)) {
        TilePlan.Tile beyond = new TilePlan(8, 8, true, 4, 4).tile(2);
        assertThrows(IllegalArgumentException.class, () -> d.hostTile(beyond, manager));
      }
    }
  }
}
