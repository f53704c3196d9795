package org.stiffness.stats.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.CosineTileDistances;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * {@link StiffnessEngine#statistics}, the streaming entry point, against the whole-matrix
 * statistics of the same engine's {@code gram}: a real model's tiles, cosine input distances made
 * per tile, symmetric and rectangular pairings (with examples in both sets) .
 */
class StatisticsOnTheEngineTest {
  private static final GramOptions SMALL_TILES =
      GramOptions.defaults().withMemoryBudget(1L << 30).withBlockSize(8).withPassSize(5);

  @Test
  void streamingStatisticsEqualTheWholeMatrixOnes() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      RandomExamples rx = RandomExamples.of(manager, "x", twin.exampleShape(), 37, 4, 3, 0);
      // Ids 30..48: seven examples are in both sets, their pairs are self-pairs.
      RandomExamples ry = RandomExamples.of(manager, "y", twin.exampleShape(), 19, 4, 5, 30);
      Examples x = rx.examples();
      Examples y = ry.examples();
      PairingSide sx = new PairingSide(x.ids(), rx.labels());
      PairingSide sy = new PairingSide(y.ids(), ry.labels());
      StatisticsOptions options = StatisticsOptions.defaults();
      try (StiffnessEngine engine =
              StiffnessEngine.builder(twin.block()).options(SMALL_TILES).build();
          CosineTileDistances xx = distances(x, x, manager);
          CosineTileDistances xy = distances(x, y, manager)) {
        StatisticsSpec square = new StatisticsSpec(sx, sx, 4, List.of(), xx, options);
        PairingStatistics s = engine.statistics(x, x, square);
        assertEquals(15, engine.lastReport().tiles(), "5 blocks: the upper triangle");
        TilePlan plan = engine.tilePlan(x);
        GramMatrix k = engine.gram(x);
        Oracle.assertAgreesWithEngine(
            s, k, square, Oracle.assembled(square, plan, manager), Map.of());

        StatisticsSpec rectangle = new StatisticsSpec(sx, sy, 4, List.of(), xy, options);
        PairingStatistics r = engine.statistics(x, y, rectangle);
        GramMatrix kxy = engine.gram(x, y);
        assertTrue(r.consideredPairs() == 37L * 19 - 7, "self-pairs left out: " + r);
        Oracle.assertAgreesWithEngine(
            r,
            kxy,
            rectangle,
            Oracle.assembled(rectangle, engine.tilePlan(x, y), manager),
            Map.of());
      }
    }
  }

  private static CosineTileDistances distances(Examples x, Examples y, NDManager manager) {
    float[] a = x.flattenedInputs();
    float[] b = x == y ? a : y.flattenedInputs();
    return new CosineTileDistances(a, x.size(), b, y.size(), x.inputWidth(), manager);
  }
}
