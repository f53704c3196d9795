package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.stiffness.StiffnessEngine;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/** The budget sets the tile size; under a tight budget blocks are recomputed, results unchanged. */
class TilingUnderBudgetTest {

  @Test
  void tightBudgetTilesAndRecomputesWithoutChangingTheResult() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 40, 30, 20, 5);
      RandomExamples x = RandomExamples.of(manager, "x", twin.exampleShape(), 101, 5, 9, 0);
      RandomExamples y = RandomExamples.of(manager, "y", twin.exampleShape(), 57, 5, 10, 500);
      GramMatrix free;
      GramMatrix freeRectangular;
      try (StiffnessEngine engine = StiffnessEngine.builder(twin.block()).build()) {
        free = engine.gram(x.examples());
        freeRectangular = engine.gram(x.examples(), y.examples());
        assertEquals(1, engine.lastReport().tiles(), "a generous budget needs one tile");
      }
      long budget = 120_000;
      GramOptions tight = GramOptions.defaults().withMemoryBudget(budget);
      try (StiffnessEngine engine = StiffnessEngine.builder(twin.block()).options(tight).build()) {
        GramMatrix tiled = engine.gram(x.examples());
        GramReport report = engine.lastReport();
        int blocks = (101 + report.blockSize() - 1) / report.blockSize();
        assertTrue(report.blockSize() < 101, "block size " + report.blockSize());
        assertEquals((long) blocks * (blocks + 1) / 2, report.tiles(), "upper triangle only");
        assertTrue(
            report.plannedPeakBytes() <= budget, "planned peak " + report.plannedPeakBytes());
        assertClose(free, tiled);

        GramMatrix rectangular = engine.gram(x.examples(), y.examples());
        assertTrue(
            engine.lastReport().blockExtractions() > blocks,
            "a budget this small cannot keep every block: "
                + engine.lastReport().blockExtractions());
        assertClose(freeRectangular, rectangular);
      }
    }
  }

  /**
   * A set paired with itself is cut into 4 blocks (10 tiles, the mirrored ones skipped) only where
   * some layer's products are materialised gradients; where every layer is factorised, one block up
   * to the preferred size (1024 on a CPU): products are cheap there and each tile's fixed cost in
   * the reduction is not. The same Gram either way.
   */
  @Test
  void setsArePairedInFourBlocksOnlyWhereProductsAreMaterialised() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 10, 8, 4);
      RandomExamples x = RandomExamples.of(manager, "x", twin.exampleShape(), 600, 4, 3, 0);
      GramMatrix factorised;
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block())
              .options(GramOptions.defaults().withStrategy(LayerStrategy.FACTORISED))
              .build()) {
        factorised = engine.gram(x.examples());
        assertEquals(600, engine.lastReport().blockSize());
        assertEquals(1, engine.lastReport().tiles());
      }
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block())
              .options(GramOptions.defaults().withStrategy(LayerStrategy.MATERIALISED))
              .build()) {
        GramMatrix materialised = engine.gram(x.examples());
        assertEquals(150, engine.lastReport().blockSize());
        assertEquals(10, engine.lastReport().tiles());
        assertClose(factorised, materialised);
      }
    }
  }

  /** Entries agree to 1e-5 of their natural scale, the norms of the two gradients. */
  private static void assertClose(GramMatrix expected, GramMatrix actual) {
    assertEquals(expected.rows(), actual.rows());
    assertEquals(expected.cols(), actual.cols());
    for (int i = 0; i < expected.rows(); i++) {
      for (int j = 0; j < expected.cols(); j++) {
        double scale = Math.sqrt(expected.rowSquaredNorm(i) * expected.colSquaredNorm(j));
        assertEquals(expected.get(i, j), actual.get(i, j), 1e-5 * scale, "entry " + i + "," + j);
      }
    }
  }
}
