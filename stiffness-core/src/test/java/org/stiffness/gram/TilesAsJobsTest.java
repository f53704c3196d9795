package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.internal.GramAssembly;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * Tiles computed one by one, in any order and by separate computations (as separate processes
 * would), assemble into exactly the matrix of the one-process tiled computation.
 */
class TilesAsJobsTest {
  private static final GramOptions SMALL_TILES =
      GramOptions.defaults().withMemoryBudget(1L << 30).withBlockSize(8).withPassSize(3);

  @Test
  void planNumbersTheUpperTriangleRowByRow() {
    TilePlan plan = new TilePlan(10, 10, true, 4, 4);
    List<String> seen = new ArrayList<>();
    for (TilePlan.Tile t : plan.tiles()) {
      seen.add(t.rowBlock() + "," + t.colBlock());
    }
    assertEquals(List.of("0,0", "0,1", "0,2", "1,1", "1,2", "2,2"), seen);
    TilePlan.Tile t = plan.tile(4);
    assertEquals(List.of(4, 8, 8, 10), List.of(t.rowStart(), t.rowEnd(), t.colStart(), t.colEnd()));
    assertEquals(6, new TilePlan(7, 10, false, 4, 2).tileCount()); // 2 x 3 blocks
    assertEquals("10 x 10 (symmetric)", plan.extent());
    assertEquals("7 x 10", new TilePlan(7, 10, false, 4, 2).extent());
    assertThrows(IllegalArgumentException.class, () -> new TilePlan(10, 9, true, 4, 4));
    assertThrows(IllegalArgumentException.class, () -> new TilePlan(10, 10, true, 4, 5));
  }

  @Test
  void symmetricTilesAssembleBitwiseIntoTheOneProcessMatrix() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 37, 4, 3, 0).examples();
      assertAssembledEqualsOneProcess(twin, x, x);
    }
  }

  @Test
  void rectangularConvolutionalTilesAssembleBitwiseIntoTheOneProcessMatrix() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.cnn(manager, 1, 8, 8, 3, 4, 3);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 21, 3, 5, 0).examples();
      Examples y = RandomExamples.of(manager, "y", twin.exampleShape(), 13, 3, 6, 100).examples();
      assertAssembledEqualsOneProcess(twin, x, y);
    }
  }

  /**
   * Blocks within the budget are extracted once per computation, however the tiles are ordered, as
   * in the one-process matrix (each extraction is a forward and backward pass over a block);
   * without room for any, each tile extracts what it lacks and the tiles are still bitwise equal.
   */
  @Test
  void aComputationExtractsEachBlockOnceWithinTheBudget() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 37, 4, 3, 0).examples();
      Examples y = RandomExamples.of(manager, "y", twin.exampleShape(), 19, 4, 5, 50).examples();
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block()).options(SMALL_TILES).build()) {
        TilePlan square = engine.tilePlan(x); // 5 blocks, 15 tiles
        List<Integer> order = new ArrayList<>();
        for (int t = 0; t < square.tileCount(); t++) {
          order.add(t);
        }
        Collections.shuffle(order, new Random(3));
        try (TileSource tiles = engine.tiles(square, x, x)) {
          order.forEach(tiles::hostTile);
          assertEquals(passesOverAll(37, square), tiles.extractions());
        }
        TilePlan rectangle = engine.tilePlan(x, y); // 5 x 3 blocks
        try (TileSource tiles = engine.tiles(rectangle, x, y)) {
          for (int t = 0; t < rectangle.tileCount(); t++) {
            tiles.hostTile(t);
          }
          // Row blocks once each (row order), column blocks once each (all cached).
          assertEquals(
              passesOverAll(37, rectangle) + passesOverAll(19, rectangle), tiles.extractions());
        }
      }
    }
  }

  @Test
  void tilesWithoutRoomForCachedBlocksAssembleBitwiseToo() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 37, 4, 3, 0).examples();
      GramOptions starved = SMALL_TILES.withMemoryBudget(1_000);
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block()).options(starved).build()) {
        TilePlan plan = engine.tilePlan(x);
        GramMatrix whole = engine.gram(x);
        GramAssembly assembly = new GramAssembly(plan);
        try (TileSource tiles = engine.tiles(plan, x, x)) {
          for (int t = plan.tileCount() - 1; t >= 0; t--) {
            assembly.add(tiles.hostTile(t));
          }
          // Nothing kept but the last row and column blocks: blocks are extracted again.
          assertTrue(tiles.extractions() > passesOverAll(37, plan), "" + tiles.extractions());
        }
        assertArrayEquals(
            whole.values(),
            assembly.build(starved.precision(), whole.rowExamples(), whole.colExamples()).values());
      }
    }
  }

  /** Forward/backward passes that extract every block of an n-example set once. */
  private static long passesOverAll(int n, TilePlan plan) {
    long passes = 0;
    for (int from = 0; from < n; from += plan.blockSize()) {
      int size = Math.min(plan.blockSize(), n - from);
      passes += (size + plan.passSize() - 1) / plan.passSize();
    }
    return passes;
  }

  /** The plan the engine reports for a set is the one its in-process computation used. */
  @Test
  void tilePlanIsTheInProcessPlan() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 45, 4, 3, 0).examples();
      GramOptions budgetOnly = GramOptions.defaults().withMemoryBudget(60_000);
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block()).options(budgetOnly).build()) {
        TilePlan plan = engine.tilePlan(x);
        engine.gram(x);
        assertEquals(engine.lastReport().blockSize(), plan.blockSize());
        assertEquals(engine.lastReport().tiles(), plan.tileCount());
        assertTrue(plan.tileCount() > 1, "the budget should force several tiles");
      }
    }
  }

  @Test
  void missingTilesAreListedAndForeignTilesRejected() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 20, 4, 3, 0).examples();
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block()).options(SMALL_TILES).build()) {
        TilePlan plan = engine.tilePlan(x); // 3 blocks: 6 tiles
        GramSide side = GramSide.of(x);
        GramAssembly assembly = new GramAssembly(plan);
        try (TileSource tiles = engine.tiles(plan, x, x)) {
          for (int index : new int[] {0, 2, 3}) {
            assembly.add(tiles.hostTile(index));
          }
        }
        assertArrayEquals(new int[] {1, 4, 5}, assembly.missing());
        IllegalStateException e =
            assertThrows(
                IllegalStateException.class, () -> assembly.build(Precision.FP32, side, side));
        assertTrue(e.getMessage().contains("3 of 6 tiles are missing: [1, 4, 5]"), e.getMessage());

        TilePlan other = new TilePlan(20, 20, true, 5, 3);
        GramAssembly wrong = new GramAssembly(other);
        try (TileSource tiles = engine.tiles(plan, x, x)) {
          GramTile tile = tiles.hostTile(1); // (0,1) of 8-wide blocks, not of 5-wide ones
          assertThrows(IllegalArgumentException.class, () -> wrong.add(tile));
        }
      }
    }
  }

  private static void assertAssembledEqualsOneProcess(Twin twin, Examples x, Examples y) {
    try (StiffnessEngine engine =
        StiffnessEngine.builder(twin.block()).options(SMALL_TILES).build()) {
      GramMatrix whole = x == y ? engine.gram(x) : engine.gram(x, y);
      TilePlan plan = x == y ? engine.tilePlan(x) : engine.tilePlan(x, y);
      assertEquals(engine.lastReport().tiles(), plan.tileCount());
      assertTrue(plan.tileCount() >= 6, "want many tiles, got " + plan.tileCount());
      // Three "shards" (every third tile), each shard's tiles in shuffled order, each shard its
      // own computation; the assembly receives the tiles in yet another order.
      List<GramTile> computed = new ArrayList<>();
      for (int shard = 0; shard < 3; shard++) {
        List<Integer> mine = new ArrayList<>();
        for (int t = shard; t < plan.tileCount(); t += 3) {
          mine.add(t);
        }
        Collections.shuffle(mine, new Random(shard));
        try (TileSource tiles = engine.tiles(plan, x, y)) {
          for (int t : mine) {
            computed.add(tiles.hostTile(t));
          }
        }
      }
      Collections.reverse(computed);
      GramAssembly assembly = new GramAssembly(plan);
      computed.forEach(assembly::add);
      GramMatrix assembled =
          assembly.build(SMALL_TILES.precision(), whole.rowExamples(), whole.colExamples());

      assertArrayEquals(whole.values(), assembled.values(), "entries, bitwise");
      for (int i = 0; i < whole.rows(); i++) {
        assertEquals(whole.rowSquaredNorm(i), assembled.rowSquaredNorm(i), 0.0, "row norm " + i);
        assertEquals(whole.rowErrorScale(i), assembled.rowErrorScale(i), 0.0, "row scale " + i);
      }
      for (int j = 0; j < whole.cols(); j++) {
        assertEquals(whole.colSquaredNorm(j), assembled.colSquaredNorm(j), 0.0, "col norm " + j);
        assertEquals(whole.colErrorScale(j), assembled.colErrorScale(j), 0.0, "col scale " + j);
      }
      assertEquals(whole.relativeError(), assembled.relativeError(), 0.0);
    }
  }
}
