package org.stiffness.stats.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TestTiles;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.InputDistances;
import org.stiffness.stats.Pool;
import org.stiffness.stats.TileDistances;

/**
 * What the one tile reducer promises besides the oracle's numbers ({@link
 * TileReductionsAgainstOracleTest}): a distance cache changes no bit and keeps what fits, a later
 * checkpoint's zero gradients are not read from the cache, each tile is one upload and one read,
 * and a row chunk's temporaries stay within the bytes per pair the memory plan counts.
 */
class TileReducerTest {
  private static final int CLASSES = 4;
  private static final long INNER = 4096;
  private static final Precision PRECISION = Precision.FP16;

  @AfterEach
  void forget() {
    TileReducer.moment = where -> {};
  }

  /** 36 examples of the pool, X = X in 3 x 3 blocks of 12: 6 tiles of equal size. */
  private static final int N = 36;

  private static final TilePlan PLAN = new TilePlan(N, N, true, 12, 12);

  private static Pool pool() {
    return new Pool(21, 60, 6, 5, CLASSES);
  }

  private static StatisticsSpec spec(Pool pool, TileDistances distances) {
    int[] x = Pool.range(0, N);
    PairingSide side = new PairingSide(Pool.ids(x), pool.labels(x));
    return new StatisticsSpec(
        side, side, CLASSES, List.of(), distances, StatisticsOptions.defaults());
  }

  private static TileDistances distances(Pool pool) {
    int[] x = Pool.range(0, N);
    float[] inputs = pool.flatInputs(x);
    return TileReductionsAgainstOracleTest.sliced(InputDistances.cosine(inputs, N, inputs, N, 5));
  }

  /** Every tile's sums as vectors, in plan order. */
  private static List<double[]> vectors(GramMatrix k, StatisticsSpec spec, TileReducer reducer) {
    List<double[]> out = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      for (TilePlan.Tile t : PLAN.tiles()) {
        try (DeviceTile tile = TestTiles.cut(k, PLAN, t.index(), manager, PRECISION, INNER)) {
          out.add(reducer.reduce(tile, spec).toVector());
        }
      }
    }
    return out;
  }

  private static void assertBitwise(List<double[]> expected, List<double[]> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int t = 0; t < expected.size(); t++) {
      assertArrayEquals(expected.get(t), actual.get(t), what + ": tile " + t);
    }
  }

  @Test
  void aCachedGeometryGivesTheBitsOfAFreshOne() {
    Pool pool = pool();
    GramMatrix k = pool.gram(Pool.range(0, N), Pool.range(0, N), relativeError());
    StatisticsSpec spec = spec(pool, distances(pool));
    List<double[]> fresh = vectors(k, spec, new TileReducer());
    try (DistanceCache cache = DistanceCache.unbounded()) {
      StatisticsSpec cached = spec.withCache(cache);
      assertBitwise(fresh, vectors(k, cached, new TileReducer()), "the pass that fills the cache");
      assertEquals(PLAN.tileCount(), cache.tiles());
      assertBitwise(fresh, vectors(k, cached, new TileReducer()), "the pass that reads it");
    }
  }

  /**
   * What a checkpoint derives from a cached geometry dies with its tiles: the live arrays (every
   * manager is a child of the engine's system manager) are the same after every pass that reads the
   * cache. A view made in the geometry's own manager would stay for the whole run.
   */
  @Test
  void readingACachedGeometryLeavesNoArraysBehind() {
    Pool pool = pool();
    GramMatrix k = pool.gram(Pool.range(0, N), Pool.range(0, N), relativeError());
    StatisticsSpec spec = spec(pool, distances(pool));
    try (DistanceCache cache = DistanceCache.unbounded();
        NDManager probe = NDManager.newBaseManager(Device.cpu())) {
      NDManager system = probe.getParentManager();
      StatisticsSpec cached = spec.withCache(cache);
      vectors(k, cached, new TileReducer());
      List<Integer> live = new ArrayList<>();
      for (int pass = 0; pass < 3; pass++) {
        vectors(k, cached, new TileReducer());
        live.add(system.getManagedArrays().size());
      }
      assertEquals(List.of(live.get(0)), live.stream().distinct().toList(), "live: " + live);
    }
  }

  @Test
  void rowChunksChangeOnlyTheOrderOfAdditions() {
    Pool pool = pool();
    GramMatrix k = pool.gram(Pool.range(0, N), Pool.range(0, N), relativeError());
    StatisticsSpec spec = spec(pool, distances(pool));
    List<double[]> whole = vectors(k, spec, new TileReducer());
    List<double[]> rows =
        vectors(k, spec, new TileReducer(TileReducer.BYTES_PER_PAIR, Long.MAX_VALUE));
    for (int t = 0; t < whole.size(); t++) {
      double[] a = whole.get(t);
      double[] b = rows.get(t);
      assertEquals(a.length, b.length);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-12 * Math.max(1, Math.abs(a[i])), "tile " + t + " [" + i + "]");
      }
    }
  }

  @Test
  void zeroGradientsOfALaterCheckpointAreNotReadFromTheCache() {
    Pool pool = pool();
    int[] x = Pool.range(0, N);
    StatisticsSpec spec = spec(pool, distances(pool));
    GramMatrix before = pool.gram(x, x, relativeError());
    Arrays.fill(pool.grads[4], 0); // a later checkpoint fits example 4 perfectly
    Arrays.fill(pool.grads[30], 0);
    GramMatrix after = pool.gram(x, x, relativeError());
    List<double[]> fresh = vectors(after, spec, new TileReducer());
    try (DistanceCache cache = DistanceCache.unbounded()) {
      StatisticsSpec cached = spec.withCache(cache);
      vectors(before, cached, new TileReducer()); // every example valid: the cache is filled
      assertBitwise(fresh, vectors(after, cached, new TileReducer()), "the later checkpoint");
    }
    InputDistances d;
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      d = Oracle.assembled(spec, PLAN, manager);
    }
    Oracle.assertAgrees(
        TileReductionsAgainstOracleTest.reduce(
            after, PLAN, spec, TileReductionsAgainstOracleTest.Reducing.CACHED),
        after,
        spec,
        d,
        Map.of());
  }

  @Test
  void theCacheKeepsTheFirstTilesThatFitAndNoMore() {
    Pool pool = pool();
    GramMatrix k = pool.gram(Pool.range(0, N), Pool.range(0, N), relativeError());
    StatisticsSpec spec = spec(pool, distances(pool));
    List<double[]> fresh = vectors(k, spec, new TileReducer());
    long perTile;
    try (DistanceCache all = DistanceCache.unbounded()) {
      StatisticsSpec filled = spec.withCache(all);
      vectors(k, filled, new TileReducer());
      perTile = all.bytes() / all.tiles();
      assertEquals(perTile * PLAN.tileCount(), all.bytes(), "the tiles are all the same size");
      for (TilePlan.Tile t : PLAN.tiles()) {
        TileGeometry g = all.get(filled, t.index(), Device.cpu());
        // A narrow tile keeps its order as float16, and the cache knew the size before building.
        assertEquals(DataType.FLOAT16, g.order.getDataType());
        boolean mirrored = t.rowStart() != t.colStart();
        int bins = spec.options().bins().count();
        assertEquals(TileGeometry.bytes(t.height(), t.width(), bins, false, mirrored), g.bytes());
      }
    }
    try (DistanceCache two = new DistanceCache(2 * perTile + perTile / 2)) {
      StatisticsSpec cached = spec.withCache(two);
      assertBitwise(fresh, vectors(k, cached, new TileReducer()), "with a bounded cache");
      assertEquals(2, two.tiles());
      assertEquals(2 * perTile, two.bytes());
      assertBitwise(fresh, vectors(k, cached, new TileReducer()), "reading two, making four");
    }
    try (DistanceCache roomy = DistanceCache.unbounded()) {
      // The engine's budget leaves room for one tile beside its own.
      vectors(k, spec.withCache(roomy), new TileReducer(TileReducer.CPU_CHUNK_BYTES, perTile));
      assertEquals(1, roomy.tiles());
    }
  }

  @Test
  void eachTileIsOneUploadAndOneRead() {
    Pool pool = pool();
    GramMatrix k = pool.gram(Pool.range(0, N), Pool.range(0, N), relativeError());
    StatisticsSpec spec = spec(pool, distances(pool));
    TileReducer oneRowChunks = new TileReducer(TileReducer.BYTES_PER_PAIR, Long.MAX_VALUE);
    try (DistanceCache cache = DistanceCache.unbounded()) {
      StatisticsSpec cached = spec.withCache(cache);
      for (String pass : new String[] {"making the geometry", "reading it"}) {
        long reads = DeviceReads.count();
        long uploads = DeviceUploads.count();
        vectors(k, cached, oneRowChunks);
        assertEquals(PLAN.tileCount(), DeviceReads.count() - reads, pass + ": reads");
        assertEquals(PLAN.tileCount(), DeviceUploads.count() - uploads, pass + ": uploads");
      }
    }
  }

  @Test
  void refusedDistancesAreNotKept() {
    Pool pool = pool();
    GramMatrix k = pool.gram(Pool.range(0, N), Pool.range(0, N), relativeError());
    TileDistances outside =
        (tile, manager) -> manager.full(new Shape(tile.height(), tile.width()), 2.5f);
    try (DistanceCache cache = DistanceCache.unbounded()) {
      StatisticsSpec spec = spec(pool, outside).withCache(cache);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> vectors(k, spec, new TileReducer()));
      assertTrue(e.getMessage().contains("(0, 0) = 2.5 is outside [0, 2]"), e.getMessage());
      assertEquals(0, cache.tiles());
    }
  }

  /**
   * The live arrays are weighed when each row chunk starts and where it holds the most; what a
   * chunk adds (every array counted at full size, views included, so an upper bound) stays within
   * {@link TileReducer#BYTES_PER_PAIR} per pair of the chunk, and while the geometry is built
   * within {@link TileGeometry#BUILD_BYTES_PER_PAIR}. Chunks of 64 rows of 128 pairs, mirrored
   * tiles among them: what a chunk keeps per row or per column (its class sums, slot ends, the
   * transpose's column sums) is then a few percent of its per-pair arrays, as in real tiles.
   */
  @Test
  void aRowChunksTemporariesStayWithinTheBytesPerPairThePlanCounts() {
    int n = 256;
    Pool pool = new Pool(23, n, 6, 5, CLASSES);
    int[] x = Pool.range(0, n);
    GramMatrix k = pool.gram(x, x, relativeError());
    PairingSide side = new PairingSide(Pool.ids(x), pool.labels(x));
    float[] inputs = pool.flatInputs(x);
    InputDistances d = InputDistances.cosine(inputs, n, inputs, n, 5);
    TileDistances sliced = TileReductionsAgainstOracleTest.sliced(d);
    StatisticsSpec spec =
        new StatisticsSpec(side, side, CLASSES, List.of(), sliced, StatisticsOptions.defaults());
    TilePlan plan = new TilePlan(n, n, true, 128, 128);
    long chunkPairs = 64 * 128L;
    TileReducer reducer = new TileReducer(TileReducer.BYTES_PER_PAIR * chunkPairs, 0);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDManager root = manager.getParentManager();
      long[] start = new long[1];
      long[] worst = new long[2];
      int[] moments = new int[2];
      TileReducer.moment =
          where -> {
            long live = liveBytes(root);
            int kind = where.startsWith("build") ? 1 : 0;
            if (where.endsWith("chunk")) {
              start[0] = live;
            } else {
              worst[kind] = Math.max(worst[kind], live - start[0]);
              moments[kind]++;
            }
          };
      for (TilePlan.Tile t : plan.tiles()) {
        try (DeviceTile tile = TestTiles.cut(k, plan, t.index(), manager, PRECISION, INNER)) {
          reducer.reduce(tile, spec);
        }
      }
      assertTrue(moments[0] > 0 && moments[1] > 0, "the moments were observed");
      assertTrue(
          worst[0] <= TileReducer.BYTES_PER_PAIR * chunkPairs,
          worst[0] + " bytes live in a chunk of " + chunkPairs + " pairs");
      assertTrue(
          worst[1] <= TileGeometry.BUILD_BYTES_PER_PAIR * chunkPairs,
          worst[1] + " bytes live while building a chunk of " + chunkPairs + " pairs");
    }
  }

  private static long liveBytes(NDManager manager) {
    long bytes = 0;
    for (NDArray a : manager.getManagedArrays()) {
      bytes += a.getShape().size() * a.getDataType().getNumOfBytes();
    }
    return bytes;
  }

  private static double relativeError() {
    return TestTiles.relativeError(PRECISION, INNER);
  }
}
