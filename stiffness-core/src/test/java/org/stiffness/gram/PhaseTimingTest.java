package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * Sync points: with timing on, the engine ends each block's extraction and each tile's product with
 * one read-back where the device is asynchronous, and adds none with timing off. The CPU is
 * reported as asynchronous through the seam, and the read-backs are counted.
 */
class PhaseTimingTest {
  // 45 examples in blocks of 16 (passes of 8, so each block joins two passes): 3 blocks, and
  // 3 * 4 / 2 = 6 tiles of the upper triangle. A budget that keeps every block: each is made once.
  private static final int N = 45;
  private static final GramOptions OPTIONS =
      GramOptions.defaults().withBlockSize(16).withPassSize(8).withMemoryBudget(1L << 30);
  private static final int BLOCKS = 3;
  private static final int TILES = 6;

  @Test
  void timingOnEndsEveryBlockAndEveryProductWithOneReadBack() {
    List<Shape> reads = new ArrayList<>();
    PhaseTiming timing =
        PhaseTiming.of(
            true,
            d -> true,
            a -> {
              reads.add(a.getShape());
              PhaseTiming.readOneElement(a);
            });
    GramReport report = gram(timing);
    assertEquals(BLOCKS, report.blockExtractions() / 2, "two passes per block");
    assertEquals(TILES, report.tiles());
    assertEquals(BLOCKS + TILES, reads.size(), "read-backs: " + reads);
    // One per product, read at the tile's (height, width): rows of 16, 16 and 13 examples.
    assertEquals(3, count(reads, new Shape(16, 16)), "products: " + reads);
    assertEquals(2, count(reads, new Shape(16, 13)), "products: " + reads);
    assertEquals(1, count(reads, new Shape(13, 13)), "products: " + reads);
  }

  @Test
  void timingOffAddsNoReadBackEvenOnAnAsynchronousDevice() {
    List<Shape> reads = new ArrayList<>();
    gram(PhaseTiming.of(false, d -> true, a -> reads.add(a.getShape())));
    assertEquals(List.of(), reads);
  }

  @Test
  void aSynchronousDeviceGetsNoReadBackWithTimingOn() {
    List<Shape> reads = new ArrayList<>();
    gram(PhaseTiming.of(true, d -> false, a -> reads.add(a.getShape())));
    assertEquals(List.of(), reads);
  }

  @Test
  void theOneElementReadLeavesTheArrayAndTakesEmptyAndScalarArrays() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
      PhaseTiming.readOneElement(a);
      PhaseTiming.readOneElement(m.create(new float[0], new Shape(0, 3)));
      PhaseTiming.readOneElement(m.create(7f));
      assertArrayEquals(new float[] {1, 2, 3, 4}, a.toFloatArray());
      assertEquals(true, PhaseTiming.synced().on());
      assertEquals(false, PhaseTiming.off().on());
    }
  }

  private static long count(List<Shape> shapes, Shape shape) {
    return shapes.stream().filter(shape::equals).count();
  }

  private static GramReport gram(PhaseTiming timing) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), N, 4, 3, 0).examples();
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block()).options(OPTIONS).timing(timing).build()) {
        engine.gram(x);
        return engine.lastReport();
      }
    }
  }
}
