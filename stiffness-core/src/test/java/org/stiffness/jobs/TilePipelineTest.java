package org.stiffness.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramProgress;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.BinnedStiffness;
import org.stiffness.stats.CosineTileDistances;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.stats.tiles.PairingSide;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.StatisticsOptions;
import org.stiffness.stats.tiles.StatisticsSpec;
import org.stiffness.stats.tiles.StatisticsSums;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * The one tile loop: a shard runs every k-th job across the pairings in order and skips what its
 * sink holds, and shards written to tile files and replayed give the statistics of one process (the
 * same loop into memory) bit for bit.
 */
class TilePipelineTest {
  private static final GramOptions SMALL_TILES =
      GramOptions.defaults().withMemoryBudget(1L << 30).withBlockSize(8).withPassSize(5);

  @TempDir Path dir;

  /** X = X (37 examples: 5 blocks, 15 tiles) and X x Y (5 x 3 blocks, 15 tiles) of one model. */
  private record Fixture(Twin twin, List<PairingTiles> pairings) {
    StiffnessEngine engine() {
      return StiffnessEngine.builder(twin.block()).options(SMALL_TILES).build();
    }
  }

  private static Fixture fixture(NDManager manager) {
    Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
    RandomExamples rx = RandomExamples.of(manager, "x", twin.exampleShape(), 37, 4, 3, 0);
    RandomExamples ry = RandomExamples.of(manager, "y", twin.exampleShape(), 19, 4, 5, 30);
    Examples x = rx.examples();
    Examples y = ry.examples();
    PairingSide sx = new PairingSide(x.ids(), rx.labels());
    PairingSide sy = new PairingSide(y.ids(), ry.labels());
    StatisticsOptions options = StatisticsOptions.defaults();
    StatisticsSpec square =
        new StatisticsSpec(sx, sx, 4, List.of(), distances(x, x, manager), options);
    StatisticsSpec rectangle =
        new StatisticsSpec(sx, sy, 4, List.of(), distances(x, y, manager), options);
    // The plans SMALL_TILES makes: blocks of 8, passes of 5.
    return new Fixture(
        twin,
        List.of(
            new PairingTiles("x-x", new TilePlan(37, 37, true, 8, 5), x, x, square),
            new PairingTiles("x-y", new TilePlan(37, 19, false, 8, 5), x, y, rectangle)));
  }

  private static CosineTileDistances distances(Examples x, Examples y, NDManager manager) {
    float[] a = x.flattenedInputs();
    float[] b = x == y ? a : y.flattenedInputs();
    return new CosineTileDistances(a, x.size(), b, y.size(), x.inputWidth(), manager);
  }

  @Test
  void shardsWrittenToTileFilesReplayToTheOneProcessStatisticsBitForBit() throws IOException {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Fixture f = fixture(manager);
      List<PairingStatistics> inOneProcess = new ArrayList<>();
      try (StiffnessEngine engine = f.engine()) {
        for (PairingTiles p : f.pairings()) {
          inOneProcess.add(engine.statistics(p.rows(), p.cols(), p.spec()));
          assertEquals(p.plan(), engine.tilePlan(p.rows(), p.cols()));
        }
      }
      TileStore store = new TileStore(dir);
      for (int i = 0; i < 3; i++) {
        // A new engine per shard, as a separate process would have.
        try (StiffnessEngine engine = f.engine()) {
          TilePipeline.Report r =
              new TilePipeline(engine)
                  .run(
                      f.pairings(),
                      new Shard(i, 3),
                      new TileStoreSink(store, "hash", false),
                      GramProgress.NONE);
          assertEquals(10, r.computed(), "30 jobs in 3 shards");
        }
      }
      InMemorySums merged = new InMemorySums(f.pairings());
      SumsReplay.replay(store, "hash", 3, f.pairings(), merged, line -> {});
      for (int k = 0; k < 2; k++) {
        assertBitwiseEqual(inOneProcess.get(k), merged.finish(f.pairings().get(k)));
      }
    }
  }

  private static void assertBitwiseEqual(PairingStatistics expected, PairingStatistics actual) {
    for (StiffnessMeasure m : StiffnessMeasure.values()) {
      assertArrayEquals(expected.classes().matrix(m), actual.classes().matrix(m), m.name());
    }
    assertArrayEquals(expected.classes().pairCounts(), actual.classes().pairCounts());
    for (BinnedStiffness[] b :
        new BinnedStiffness[][] {
          {expected.distanceProfile().allPairs(), actual.distanceProfile().allPairs()},
          {expected.distanceProfile().withinClass(), actual.distanceProfile().withinClass()}
        }) {
      for (int k = 0; k < b[0].binCount(); k++) {
        assertEquals(b[0].pairs(k), b[1].pairs(k));
        assertEquals(rawBits(b[0].meanSign(k)), rawBits(b[1].meanSign(k)));
        assertEquals(rawBits(b[0].meanCosine(k)), rawBits(b[1].meanCosine(k)));
      }
    }
    assertEquals(expected.withinClassRows(), actual.withinClassRows());
    assertEquals(expected.allPairsRows(), actual.allPairsRows());
    assertEquals(expected.criticalLength(), actual.criticalLength());
    assertEquals(expected.uncertainSignPairs(), actual.uncertainSignPairs());
    assertEquals(expected.consideredPairs(), actual.consideredPairs());
  }

  private static long rawBits(double v) {
    return Double.doubleToRawLongBits(v);
  }

  /** What a sink was given, and what it claims to hold already. */
  private static final class Recording implements SumsSink {
    final Map<String, Stored> held;
    final List<String> taken = new ArrayList<>();

    Recording(Map<String, Stored> held) {
      this.held = held;
    }

    @Override
    public Stored stored(PairingTiles pairing, TilePlan.Tile tile) {
      return held.getOrDefault(pairing.key() + " " + tile.index(), Stored.MISSING);
    }

    @Override
    public void accept(PairingTiles pairing, StatisticsSums sums, DeviceTile tile) {
      assertEquals(tile.tile(), sums.tile(), "the sums are the tile's");
      taken.add(pairing.key() + " " + tile.tile().index());
    }
  }

  @Test
  void aShardRunsEveryKthJobAcrossThePairingsAndSkipsWhatItsSinkHolds() throws IOException {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Fixture f = fixture(manager);
      try (StiffnessEngine engine = f.engine()) {
        // Shard 1/4 holds jobs 1, 5, 9, 13 (x-x tiles) and 17, 21, 25, 29 (x-y tiles 2, 6, 10, 14).
        Recording sink =
            new Recording(Map.of("x-x 5", SumsSink.Stored.DONE, "x-y 6", SumsSink.Stored.CORRUPT));
        List<String> progress = new ArrayList<>();
        TilePipeline.Report r =
            new TilePipeline(engine)
                .run(f.pairings(), new Shard(1, 4), sink, (d, n) -> progress.add(d + "/" + n));
        assertEquals(
            List.of("x-x 1", "x-x 9", "x-x 13", "x-y 2", "x-y 6", "x-y 10", "x-y 14"), sink.taken);
        assertEquals(
            List.of(6, 1, 1, 30), List.of(r.computed(), r.recomputed(), r.skipped(), r.total()));
        assertEquals(List.of("1/8", "2/8", "3/8", "4/8", "5/8", "6/8", "7/8", "8/8"), progress);
        assertEquals(3, r.computations().get("x-x").tiles());
        assertEquals(4, r.computations().get("x-y").tiles());
      }
    }
  }

  @Test
  void aShardWhoseTilesAreAllDoneComputesNothing() throws IOException {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Fixture f = fixture(manager);
      try (StiffnessEngine engine = f.engine()) {
        SumsSink done =
            new SumsSink() {
              @Override
              public Stored stored(PairingTiles pairing, TilePlan.Tile tile) {
                return Stored.DONE;
              }

              @Override
              public void accept(PairingTiles pairing, StatisticsSums sums, DeviceTile tile) {
                throw new AssertionError("nothing to take: " + tile.tile());
              }
            };
        TilePipeline.Report r =
            new TilePipeline(engine).run(f.pairings(), Shard.ALL, done, GramProgress.NONE);
        assertEquals(30, r.skipped());
        assertTrue(r.computations().isEmpty(), "no Gram computation was opened");
        assertEquals(0, r.gradientSeconds());
      }
    }
  }

  @Test
  void replayListsEveryMissingTileWithTheShardThatOwesIt() throws IOException {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Fixture f = fixture(manager);
      TileStore store = new TileStore(dir);
      try (StiffnessEngine engine = f.engine()) {
        new TilePipeline(engine)
            .run(
                f.pairings(),
                new Shard(0, 2),
                new TileStoreSink(store, "hash", false),
                GramProgress.NONE);
      }
      InMemorySums merged = new InMemorySums(f.pairings());
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> SumsReplay.replay(store, "hash", 2, f.pairings(), merged, line -> {}));
      // A long list is summarised: the count, the shard to rerun, the first few, and where the
      // full list went.
      Path list = dir.resolve(SumsReplay.MISSING_LIST);
      assertTrue(
          e.getMessage()
              .startsWith(
                  "15 of 30 tiles are missing in "
                      + dir
                      + " (of shard 1/2); the first 8: x-x tile 1 (shard 1/2), x-x tile 3 (shard"
                      + " 1/2), "),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("; all 15 are listed in " + list), e.getMessage());
      List<String> listed = Files.readAllLines(list);
      assertEquals(15, listed.size(), listed.toString());
      // x-y tile 0 is job 15: shard 1/2.
      assertTrue(listed.contains("x-y tile 0 (shard 1/2)"), listed.toString());
      assertTrue(listed.contains("x-y tile 2 (shard 1/2)"), listed.toString());
    }
  }
}
