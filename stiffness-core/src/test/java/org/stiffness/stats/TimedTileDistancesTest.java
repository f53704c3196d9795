package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stiffness.gram.PhaseTiming;
import org.stiffness.gram.TilePlan;

/**
 * The distances are a phase of their own: timed, each device tile ends with one read-back where the
 * device is asynchronous (the CPU reported as such through the seam), none with timing off, and the
 * tiles are those of the distances they wrap.
 */
class TimedTileDistancesTest {
  private static final int DIM = 6;

  @Test
  void eachDeviceTileEndsWithOneReadBackWhenTimed() {
    List<Shape> reads = new ArrayList<>();
    int tiles = run(PhaseTiming.of(true, d -> true, a -> reads.add(a.getShape())));
    // 10 x 10 in blocks of 4, upper triangle: 6 tiles, each asked for both ways.
    assertEquals(6, tiles);
    assertEquals(2 * tiles, reads.size(), "read-backs: " + reads);
  }

  @Test
  void noReadBackWithTimingOff() {
    List<Shape> reads = new ArrayList<>();
    run(PhaseTiming.of(false, d -> true, a -> reads.add(a.getShape())));
    assertEquals(List.of(), reads);
  }

  /** Makes every tile both ways through the timed distances; checks them against the wrapped. */
  private static int run(PhaseTiming timing) {
    int n = 10;
    float[] inputs = NearEdgeInputs.gaussian(n, DIM, 5);
    TilePlan plan = new TilePlan(n, n, true, 4, 4);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        CosineTileDistances plain = new CosineTileDistances(inputs, n, inputs, n, DIM, manager)) {
      TimedTileDistances timed = new TimedTileDistances(plain, timing);
      double[] critical = {0.5, 1.0, 1.5};
      for (TilePlan.Tile t : plan.tiles()) {
        try (NDArray a = timed.tile(t, manager);
            NDArray b = plain.tile(t, manager);
            NDArray c = timed.tile(t, manager, critical);
            NDArray d = plain.tile(t, manager, critical)) {
          assertArrayEquals(b.toFloatArray(), a.toFloatArray());
          assertArrayEquals(d.toFloatArray(), c.toFloatArray());
        }
      }
      return plan.tileCount();
    }
  }
}
