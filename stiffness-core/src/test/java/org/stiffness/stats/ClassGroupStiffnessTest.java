package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramSide;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TestTiles;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.tiles.PairingSide;
import org.stiffness.stats.tiles.StatisticsOptions;
import org.stiffness.stats.tiles.StatisticsSpec;
import org.stiffness.stats.tiles.StatisticsSums;
import org.stiffness.stats.tiles.TileReducer;

/**
 * Within-group and across-group stiffness against a float64 loop over the pairs of a small Gram
 * matrix, from the whole-matrix class matrix and from the sums of its tiles.
 */
class ClassGroupStiffnessTest {
  private static final int CLASSES = 6;

  /** Three groups of 3, 2 and 1 classes; group 2's single class has no within-group pair. */
  private static final ClassGroups GROUPS =
      new ClassGroups("test", List.of("a", "b", "c"), new int[] {0, 1, 0, 1, 0, 2});

  /** A pool whose examples 4 and 9 have zero gradients (excluded from every pair). */
  private static Pool pool() {
    Pool pool = new Pool(21, 70, 5, 1, CLASSES);
    Arrays.fill(pool.grads[4], 0);
    Arrays.fill(pool.grads[9], 0);
    return pool;
  }

  /**
   * The oracle: per group cell (g, h) and for within/across, count, sum of signs and sum of cosines
   * of the pairs of different classes, straight from the gradients in float64. Index G * G is
   * within-group, G * G + 1 across-group.
   */
  private static double[][] oracle(Pool pool, int[] x, int[] y) {
    int k = GROUPS.groups();
    double[][] sums = new double[k * k + 2][3];
    for (int a : x) {
      for (int b : y) {
        int ca = pool.labels[a];
        int cb = pool.labels[b];
        boolean zero =
            Pool.dot(pool.grads[a], pool.grads[a]) == 0
                || Pool.dot(pool.grads[b], pool.grads[b]) == 0;
        if (a == b || ca == cb || zero) {
          continue;
        }
        int g = GROUPS.groupOf(ca);
        int h = GROUPS.groupOf(cb);
        double cos = pool.cosine(a, b);
        for (int cell : new int[] {g * k + h, g == h ? k * k : k * k + 1}) {
          sums[cell][0]++;
          sums[cell][1] += Math.signum(cos);
          sums[cell][2] += cos;
        }
      }
    }
    return sums;
  }

  private static void assertAgrees(double[][] oracle, ClassGroupStiffness s) {
    int k = GROUPS.groups();
    for (int g = 0; g < k; g++) {
      for (int h = 0; h < k; h++) {
        double[] o = oracle[g * k + h];
        assertEquals((long) o[0], s.pairCount(g, h), "pairs " + g + "," + h);
        assertMean(
            o,
            s.stiffness(StiffnessMeasure.SIGN, g, h),
            s.stiffness(StiffnessMeasure.COSINE, g, h));
      }
    }
    assertEquals((long) oracle[k * k][0], s.withinGroupPairs());
    assertMean(
        oracle[k * k],
        s.withinGroupStiffness(StiffnessMeasure.SIGN),
        s.withinGroupStiffness(StiffnessMeasure.COSINE));
    assertEquals((long) oracle[k * k + 1][0], s.acrossGroupPairs());
    assertMean(
        oracle[k * k + 1],
        s.acrossGroupStiffness(StiffnessMeasure.SIGN),
        s.acrossGroupStiffness(StiffnessMeasure.COSINE));
  }

  private static void assertMean(double[] oracle, double sign, double cos) {
    if (oracle[0] == 0) {
      assertTrue(Double.isNaN(sign) && Double.isNaN(cos), "no pairs: NaN");
      return;
    }
    assertEquals(oracle[1] / oracle[0], sign, 1e-12);
    // The class matrix holds float32 cosines; the oracle's are float64.
    assertEquals(oracle[2] / oracle[0], cos, 1e-6);
  }

  private static ClassGroupStiffness whole(Pool pool, int[] x, int[] y) {
    ClassStiffness c =
        ClassStiffness.compute(
            PairStiffness.of(pool.gram(x, y)), pool.labels(x), pool.labels(y), CLASSES);
    return ClassGroupStiffness.of(c, GROUPS);
  }

  @Test
  void squarePairingAgreesWithTheFloat64Loop() {
    Pool pool = pool();
    int[] x = Pool.range(0, 70);
    double[][] oracle = oracle(pool, x, x);
    assertTrue(oracle[2 * 3 + 2][0] == 0, "group c has one class: no within-group pair");
    assertAgrees(oracle, whole(pool, x, x));
  }

  @Test
  void rectangularPairingWithSharedExamplesAgreesWithTheFloat64Loop() {
    Pool pool = pool();
    int[] x = Pool.range(0, 45);
    int[] y = Pool.range(30, 70); // 30..44 in both: self-pairs off the diagonal
    assertAgrees(oracle(pool, x, y), whole(pool, x, y));
  }

  /** The same statistics from a sharded measurement's tile sums as from the whole class matrix. */
  @Test
  void tileSumsGiveTheWholeMatrixFigures() {
    Pool pool = pool();
    int[] x = Pool.range(0, 37);
    GramMatrix k = pool.gram(x, x);
    PairingSide side = new PairingSide(Pool.ids(x), pool.labels(x));
    StatisticsSpec spec =
        new StatisticsSpec(side, side, CLASSES, List.of(), null, StatisticsOptions.defaults());
    TilePlan plan = new TilePlan(37, 37, true, 8, 8);
    StatisticsSums sums = StatisticsSums.pairing(plan, spec);
    TileReducer reducer = new TileReducer();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      for (TilePlan.Tile t : plan.tiles()) {
        try (DeviceTile tile = TestTiles.cut(k, plan, t.index(), manager, Precision.FP32, 5)) {
          sums.add(reducer.reduce(tile, spec));
        }
      }
    }
    ClassGroupStiffness tiled = ClassGroupStiffness.of(sums.finish().classes(), GROUPS);
    assertAgrees(oracle(pool, x, x), tiled);
    ClassGroupStiffness w = whole(pool, x, x);
    assertEquals(
        w.withinGroupStiffness(StiffnessMeasure.SIGN),
        tiled.withinGroupStiffness(StiffnessMeasure.SIGN));
    assertEquals(
        w.acrossGroupStiffness(StiffnessMeasure.COSINE),
        tiled.acrossGroupStiffness(StiffnessMeasure.COSINE),
        1e-12);
  }

  /**
   * g0 = (1, 0) class 0, g1 = (1, 1) class 1, g2 = (-1, 0) class 2, g3 = (0, 1) class 1; groups A =
   * {0, 1}, B = {2}. cos01 = cos13 = 1/sqrt2, cos02 = -1, cos12 = -1/sqrt2, cos03 = cos23 = 0 (sign
   * 0). Within A, different classes: (0,1), (0,3) both ways: cos (2/sqrt2 + 0) / 4 = sqrt2/4, sign
   * (1 + 1 + 0 + 0) / 4; (1,3) is one class, in neither. Across: (0,2), (1,2), (3,2) both ways: cos
   * (-2 - sqrt2) / 6, sign -4/6. The class cells' average would be (-1 - 1/(2 sqrt2)) / 2 across:
   * the figures are means over pairs.
   */
  @Test
  void handComputedFourExamplesArePooledOverPairsNotCells() {
    long[] ids = {0, 1, 2, 3};
    int[] labels = {0, 1, 2, 1};
    GramMatrix g =
        new GramMatrix(
            new GramSide(ids, labels),
            new GramSide(ids, labels),
            new float[] {1, 1, -1, 0, 1, 2, -1, 1, -1, -1, 1, 0, 0, 1, 0, 1},
            new double[] {1, 2, 1, 1},
            new double[] {1, 2, 1, 1},
            new double[] {1, Math.sqrt(2), 1, 1},
            new double[] {1, Math.sqrt(2), 1, 1},
            0);
    ClassStiffness c = ClassStiffness.compute(PairStiffness.of(g), labels, labels, 3);
    ClassGroups groups = new ClassGroups("ab", List.of("A", "B"), new int[] {0, 0, 1});
    ClassGroupStiffness s = ClassGroupStiffness.of(c, groups);
    double r2 = Math.sqrt(2);
    assertEquals(4, s.withinGroupPairs());
    assertEquals(r2 / 4, s.withinGroupStiffness(StiffnessMeasure.COSINE), 1e-7);
    assertEquals(0.5, s.withinGroupStiffness(StiffnessMeasure.SIGN));
    assertEquals(6, s.acrossGroupPairs());
    assertEquals((-2 - r2) / 6, s.acrossGroupStiffness(StiffnessMeasure.COSINE), 1e-7);
    assertEquals(-4.0 / 6, s.acrossGroupStiffness(StiffnessMeasure.SIGN), 1e-15);
    assertEquals(3, s.pairCount(0, 1));
    assertEquals((-1 - 1 / r2) / 3, s.stiffness(StiffnessMeasure.COSINE, 1, 0), 1e-7);
    assertEquals(0, s.pairCount(1, 1));
    assertTrue(Double.isNaN(s.stiffness(StiffnessMeasure.SIGN, 1, 1)));
  }

  @Test
  void aGroupingOfAnotherNumberOfClassesIsRefused() {
    Pool pool = pool();
    int[] x = Pool.range(0, 10);
    ClassStiffness c =
        ClassStiffness.compute(
            PairStiffness.of(pool.gram(x, x)), pool.labels(x), pool.labels(x), CLASSES);
    ClassGroups five = new ClassGroups("five", List.of("a", "b"), new int[] {0, 1, 0, 1, 0});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClassGroupStiffness.of(c, five));
    assertTrue(
        e.getMessage().contains("five are for 5 classes, the class matrix has 6"), e.getMessage());
  }
}
