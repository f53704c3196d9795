package org.stiffness.stats.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TestTiles;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceBins;
import org.stiffness.stats.InputDistances;
import org.stiffness.stats.PairStiffness;
import org.stiffness.stats.Pool;
import org.stiffness.stats.RowStatistics;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.stats.TileDistances;

/**
 * The tile reduction, added up over the tiles of a plan, against the whole-matrix statistics on
 * synthetic Gram matrices whose every entry is known: zero gradients, self-pairs inside and off the
 * diagonal, mirrored tiles, uncertain signs, an extra grouping, custom bins and windows; each with
 * whole tiles, with row chunks of one and of two rows, and from a distance cache's geometry.
 */
class TileReductionsAgainstOracleTest {
  private static final long INNER = 4096;
  private static final Precision PRECISION = Precision.FP16; // a bound wide enough to matter
  private static final int CLASSES = 4;

  /** A pool whose examples 5 and 17 have zero gradients. */
  private static Pool pool() {
    Pool pool = new Pool(11, 80, 6, 5, CLASSES);
    Arrays.fill(pool.grads[5], 0);
    Arrays.fill(pool.grads[17], 0);
    return pool;
  }

  private static int[] genres(int[] set) {
    int[] g = new int[set.length];
    for (int i = 0; i < set.length; i++) {
      g[i] = (set[i] * 7) % 3;
    }
    return g;
  }

  private static PairingSide side(Pool pool, int[] set) {
    return new PairingSide(Pool.ids(set), pool.labels(set), Map.of("genre", genres(set)));
  }

  /** Distances served tile by tile from a whole matrix (the same floats the oracle gets). */
  static TileDistances sliced(InputDistances d) {
    return (tile, manager) -> {
      float[] v = new float[tile.height() * tile.width()];
      for (int i = 0; i < tile.height(); i++) {
        for (int j = 0; j < tile.width(); j++) {
          v[i * tile.width() + j] = d.get(tile.rowStart() + i, tile.colStart() + j);
        }
      }
      return manager.create(v, new Shape(tile.height(), tile.width()));
    };
  }

  /** Cosine distances of the set's inputs with themselves (the symmetric Java loop). */
  private static InputDistances symmetricDistances(Pool pool, int[] x) {
    float[] inputs = pool.flatInputs(x);
    return InputDistances.cosine(inputs, x.length, inputs, x.length, 5);
  }

  /** X = X with its classes and the "genre" grouping, distances {@code d}, default options. */
  private static StatisticsSpec withGenres(Pool pool, int[] x, InputDistances d) {
    PairingSide side = side(pool, x);
    return new StatisticsSpec(
        side,
        side,
        CLASSES,
        List.of(new Grouping("genre", List.of("g0", "g1", "g2"))),
        sliced(d),
        StatisticsOptions.defaults());
  }

  /** How the tiles are reduced: each way must give the oracle's statistics. */
  enum Reducing {
    /** Each tile in one chunk. */
    WHOLE_TILES,
    /** Row chunks of one row (the multi-chunk path at its extreme). */
    ONE_ROW_CHUNKS,
    /** Row chunks of a few rows, the last one ragged. */
    FEW_ROW_CHUNKS,
    /** Every tile reduced twice through a distance cache; the second, cached pass counts. */
    CACHED,
    /** As {@link #CACHED}, with the slot order kept as int32, as a wide tile keeps it. */
    CACHED_INT32_ORDER;

    boolean cached() {
      return this == CACHED || this == CACHED_INT32_ORDER;
    }

    TileReducer reducer() {
      return switch (this) {
        case ONE_ROW_CHUNKS -> new TileReducer(TileReducer.BYTES_PER_PAIR, Long.MAX_VALUE);
        case FEW_ROW_CHUNKS -> new TileReducer(TileReducer.BYTES_PER_PAIR * 20, Long.MAX_VALUE);
        default -> new TileReducer();
      };
    }
  }

  /** Every tile of the plan reduced and added in plan order. */
  static PairingStatistics reduce(GramMatrix k, TilePlan plan, StatisticsSpec spec, Reducing how) {
    int halfOrderWidth = TileGeometry.halfOrderWidth;
    try (DistanceCache cache = DistanceCache.unbounded()) {
      if (how == Reducing.CACHED_INT32_ORDER) {
        TileGeometry.halfOrderWidth = 0;
      }
      StatisticsSpec used = how.cached() ? spec.withCache(cache) : spec;
      PairingStatistics s = null;
      for (int pass = 0; pass < (how.cached() ? 2 : 1); pass++) {
        s = reduce(k, plan, used, how.reducer());
      }
      if (how.cached() && spec.distances() != null) {
        assertEquals(plan.tileCount(), cache.tiles(), "every tile's geometry was kept");
      }
      return s;
    } finally {
      TileGeometry.halfOrderWidth = halfOrderWidth;
    }
  }

  /** Every tile of the plan reduced and added in plan order. */
  static PairingStatistics reduce(
      GramMatrix k, TilePlan plan, StatisticsSpec spec, TileReducer reducer) {
    StatisticsSums sums = StatisticsSums.pairing(plan, spec);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      for (TilePlan.Tile t : plan.tiles()) {
        try (DeviceTile tile = TestTiles.cut(k, plan, t.index(), manager, PRECISION, INNER)) {
          sums.add(reducer.reduce(tile, spec));
        }
      }
    }
    return sums.finish();
  }

  @ParameterizedTest
  @EnumSource(Reducing.class)
  void symmetricPairingWithZeroGradientsAndAGrouping(Reducing how) {
    Pool pool = pool();
    int[] x = Pool.range(0, 37);
    InputDistances d = symmetricDistances(pool, x);
    GramMatrix k = pool.gram(x, x, TestTiles.relativeError(PRECISION, INNER));
    StatisticsSpec spec = withGenres(pool, x, d);
    TilePlan plan = new TilePlan(37, 37, true, 8, 8); // 15 tiles, 10 of them mirrored
    PairingStatistics s = reduce(k, plan, spec, how);
    assertTrue(s.uncertainSignPairs() > 0, "the fp16 bound should leave some signs uncertain");
    Oracle.assertAgrees(s, k, spec, d, Map.of("genre", new int[][] {genres(x), genres(x)}));
  }

  @ParameterizedTest
  @EnumSource(Reducing.class)
  void rectangularPairingWithSharedExamples(Reducing how) {
    Pool pool = pool();
    int[] x = Pool.range(0, 29);
    int[] y = Pool.range(20, 44); // examples 20..28 are in both sets: self-pairs off the diagonal
    InputDistances d =
        InputDistances.cosine(pool.flatInputs(x), x.length, pool.flatInputs(y), y.length, 5);
    GramMatrix k = pool.gram(x, y, TestTiles.relativeError(PRECISION, INNER));
    StatisticsSpec spec =
        new StatisticsSpec(
            side(pool, x),
            side(pool, y),
            CLASSES,
            List.of(new Grouping("genre", List.of("g0", "g1", "g2"))),
            sliced(d),
            StatisticsOptions.defaults());
    PairingStatistics s = reduce(k, new TilePlan(29, 24, false, 7, 7), spec, how);
    Oracle.assertAgrees(s, k, spec, d, Map.of("genre", new int[][] {genres(x), genres(y)}));
  }

  @ParameterizedTest
  @EnumSource(Reducing.class)
  void signFitInAWindowWithUnevenBinsAndPairsOutsideThem(Reducing how) {
    Pool pool = pool();
    int[] x = Pool.range(3, 40);
    float[] inputs = pool.flatInputs(x);
    InputDistances d = InputDistances.cosine(inputs, x.length, inputs, x.length, 5);
    GramMatrix k = pool.gram(x, x, TestTiles.relativeError(PRECISION, INNER));
    PairingSide side = new PairingSide(Pool.ids(x), pool.labels(x));
    StatisticsOptions options =
        StatisticsOptions.defaults()
            .withBins(DistanceBins.of(0.2, 0.5, 0.55, 1.0, 1.7))
            .withCriticalLength(
                CriticalLength.Config.defaults()
                    .withMeasure(StiffnessMeasure.SIGN)
                    .withWindow(0.3, 1.4));
    StatisticsSpec spec = new StatisticsSpec(side, side, CLASSES, List.of(), sliced(d), options);
    PairingStatistics s = reduce(k, new TilePlan(37, 37, true, 10, 5), spec, how);
    assertTrue(s.distanceProfile().outOfRangePairs() > 0, "some pairs lie outside the bins");
    Oracle.assertAgrees(s, k, spec, d, Map.of());
  }

  @ParameterizedTest
  @EnumSource(Reducing.class)
  void withoutDistancesOnlyTheClassStatisticsAreTaken(Reducing how) {
    Pool pool = pool();
    int[] x = Pool.range(0, 23);
    GramMatrix k = pool.gram(x, x, TestTiles.relativeError(PRECISION, INNER));
    PairingSide side = side(pool, x);
    StatisticsSpec spec =
        new StatisticsSpec(side, side, CLASSES, List.of(), null, StatisticsOptions.defaults());
    PairingStatistics s = reduce(k, new TilePlan(23, 23, true, 6, 6), spec, how);
    assertEquals(null, s.distanceProfile());
    assertEquals(null, s.criticalLength());
    Oracle.assertAgrees(s, k, spec, null, Map.of());
  }

  /**
   * With distances that are multiples of 1/64 and sign stiffness, every critical-length sum is
   * exact in any order: the tiles' row statistics are then bitwise the oracle's, and xi with its
   * bootstrap interval is identical, not only close.
   */
  @ParameterizedTest
  @EnumSource(Reducing.class)
  void identicalRowStatisticsGiveAnIdenticalCriticalLength(Reducing how) {
    Pool pool = pool();
    int n = 45;
    int[] x = Pool.range(0, n);
    float[] dyadic = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        // 1 - cos of the gradients to 1/64: symmetric, and the signs decay with it.
        double cos = cosine(pool, i, j);
        dyadic[i * n + j] = (float) (Math.round((1 - cos) * 64) / 64.0);
      }
    }
    InputDistances d = new InputDistances(n, n, dyadic);
    GramMatrix k = pool.gram(x, x, 0);
    PairingSide side = new PairingSide(Pool.ids(x), pool.labels(x));
    CriticalLength.Config config =
        CriticalLength.Config.defaults().withMeasure(StiffnessMeasure.SIGN);
    StatisticsOptions options = StatisticsOptions.defaults().withCriticalLength(config);
    StatisticsSpec spec = new StatisticsSpec(side, side, CLASSES, List.of(), sliced(d), options);
    PairingStatistics s = reduce(k, new TilePlan(n, n, true, 8, 8), spec, how);

    var pairs = PairStiffness.of(k);
    RowStatistics oracle = Oracle.rowStatistics(pairs, d, null, null, config);
    assertEquals(oracle, s.allPairsRows(), "every all-pairs row sum, bitwise");
    CriticalLength.Result expected = CriticalLength.estimate(oracle, config);
    assertInstanceOf(CriticalLength.Estimate.class, expected, "the fixture should cross zero");
    assertEquals(expected, s.criticalLengthAllPairs());
  }

  @Test
  void tileSumsSurviveTheirVectorBitwise() {
    Pool pool = pool();
    int[] x = Pool.range(0, 21);
    GramMatrix k = pool.gram(x, x, TestTiles.relativeError(PRECISION, INNER));
    StatisticsSpec spec = withGenres(pool, x, symmetricDistances(pool, x));
    TilePlan plan = new TilePlan(21, 21, true, 8, 8);
    StatisticsSums direct = StatisticsSums.pairing(plan, spec);
    StatisticsSums viaVectors = StatisticsSums.pairing(plan, spec);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      for (TilePlan.Tile t : plan.tiles()) {
        try (DeviceTile tile = TestTiles.cut(k, plan, t.index(), manager, PRECISION, INNER)) {
          StatisticsSums sums = new TileReducer().reduce(tile, spec);
          direct.add(sums);
          viaVectors.add(
              StatisticsSums.fromVector(SumsShape.of(spec), t, sums.mirrored(), sums.toVector()));
        }
      }
    }
    PairingStatistics a = direct.finish();
    PairingStatistics b = viaVectors.finish();
    assertEquals(a.allPairsRows(), b.allPairsRows());
    assertEquals(a.withinClassRows(), b.withinClassRows());
    assertEquals(a.criticalLength(), b.criticalLength());
    assertEquals(
        Arrays.toString(a.classes().matrix(StiffnessMeasure.COSINE)),
        Arrays.toString(b.classes().matrix(StiffnessMeasure.COSINE)));
  }

  @Test
  void tilesAreAddedInPlanOrderOnly() {
    Pool pool = pool();
    int[] x = Pool.range(0, 12);
    GramMatrix k = pool.gram(x, x, 0);
    PairingSide side = side(pool, x);
    StatisticsSpec spec =
        new StatisticsSpec(side, side, CLASSES, List.of(), null, StatisticsOptions.defaults());
    TilePlan plan = new TilePlan(12, 12, true, 5, 5);
    StatisticsSums sums = StatisticsSums.pairing(plan, spec);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        DeviceTile second = TestTiles.cut(k, plan, 1, manager, PRECISION, INNER)) {
      StatisticsSums out = new TileReducer().reduce(second, spec);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> sums.add(out));
      assertTrue(e.getMessage().contains("out of order"), e.getMessage());
    }
    IllegalStateException missing = assertThrows(IllegalStateException.class, sums::finish);
    assertTrue(missing.getMessage().contains("0 were added"), missing.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Reducing.class)
  void aNonFiniteEntryOrDistanceIsNamedByItsPair(Reducing how) {
    Pool pool = pool();
    int[] x = Pool.range(0, 10);
    GramMatrix good = pool.gram(x, x, 0);
    PairingSide side = new PairingSide(Pool.ids(x), pool.labels(x));
    StatisticsSpec spec =
        new StatisticsSpec(side, side, CLASSES, List.of(), null, StatisticsOptions.defaults());
    IllegalArgumentException e;
    for (float notFinite : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
      float[] values = good.values().clone();
      values[3 * 10 + 7] = notFinite;
      GramMatrix bad =
          new GramMatrix(
              good.rowExamples(),
              good.colExamples(),
              values,
              norms(good, true),
              norms(good, true),
              ones(10),
              ones(10),
              0);
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> reduce(bad, new TilePlan(10, 10, true, 10, 10), spec, how));
      assertTrue(e.getMessage().contains("Gram entry (3, 7) is not finite"), e.getMessage());
    }

    TileDistances outside =
        (tile, manager) -> manager.full(new Shape(tile.height(), tile.width()), 2.5f);
    StatisticsSpec withDistances =
        new StatisticsSpec(side, side, CLASSES, List.of(), outside, StatisticsOptions.defaults());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> reduce(good, new TilePlan(10, 10, true, 10, 10), withDistances, how));
    assertTrue(e.getMessage().contains("is outside [0, 2]"), e.getMessage());
  }

  private static double cosine(Pool pool, int a, int b) {
    double ab = Pool.dot(pool.grads[a], pool.grads[b]);
    double aa = Pool.dot(pool.grads[a], pool.grads[a]);
    double bb = Pool.dot(pool.grads[b], pool.grads[b]);
    return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
  }

  private static double[] norms(GramMatrix k, boolean rows) {
    double[] out = new double[rows ? k.rows() : k.cols()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows ? k.rowSquaredNorm(i) : k.colSquaredNorm(i);
    }
    return out;
  }

  private static double[] ones(int n) {
    double[] out = new double[n];
    Arrays.fill(out, 1);
    return out;
  }
}
