package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stiffness.gram.Tf32Override;
import org.stiffness.gram.TilePlan;

/**
 * Distances made tile by tile with float32 products against the oracle, the whole-matrix Java loop
 * of {@link InputDistances#cosine(float[], int, float[], int, int)} (float64 dot products in input
 * order): within the rounding bound everywhere, and on the oracle's side of every critical value.
 * The inputs crowd within {@code 1e-8 .. 1e-5} of the critical values in D = 784, where float32
 * products alone put some pairs in another bin.
 */
class CosineTileDistancesTest {
  private static final int DIM = 784;
  private static final DistanceBins UNEVEN =
      DistanceBins.of(0.05, 0.25, 0.3, 0.62, 0.9, 1.0, 1.05, 1.3, 1.9);

  /** X = X (base examples and their near copies in one set) or X x Y (base x near copies). */
  private record Pairing(String name, float[] x, int n, float[] y, int m) {
    static Pairing square(double[] targets, int base, int copies) {
      float[] b = NearEdgeInputs.gaussian(base, DIM, 11);
      float[] x = NearEdgeInputs.concat(b, NearEdgeInputs.near(b, base, DIM, targets, copies, 12));
      return new Pairing("X = X", x, base + copies, x, base + copies);
    }

    static Pairing rectangle(double[] targets, int base, int copies) {
      float[] x = NearEdgeInputs.gaussian(base, DIM, 21);
      float[] y = NearEdgeInputs.near(x, base, DIM, targets, copies, 22);
      return new Pairing("X x Y", x, base, y, copies);
    }

    boolean symmetric() {
      return x == y;
    }

    TilePlan plan(int block) {
      return new TilePlan(n, m, symmetric(), block, block);
    }

    InputDistances oracle() {
      return InputDistances.cosine(x, n, y, m, DIM);
    }

    CosineTileDistances tiles(NDManager manager) {
      return new CosineTileDistances(x, n, y, m, DIM, manager);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Bins and a critical-length window, and the critical values the executor passes for them. */
  private record Statistics(String name, DistanceBins bins, double lo, double hi) {
    double[] criticalValues() {
      return DoubleStream.concat(DoubleStream.of(bins.edges()), DoubleStream.of(lo, hi)).toArray();
    }

    boolean inWindow(double d) {
      return lo <= d && d <= hi;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> pairingsAndTiles() {
    List<Arguments> out = new ArrayList<>();
    for (Statistics s :
        List.of(
            new Statistics("default bins", DistanceBins.defaults(), 0, 2),
            new Statistics("uneven bins", UNEVEN, 0, 2),
            new Statistics("window [0.45, 1.15]", DistanceBins.defaults(), 0.45, 1.15))) {
      double[] targets = s.criticalValues();
      for (Pairing p :
          List.of(Pairing.square(targets, 20, 100), Pairing.rectangle(targets, 30, 90))) {
        for (int block : new int[] {32, 50, 120}) { // ragged last tiles, and one tile
          out.add(Arguments.of(s, p, block));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, blocks of {2}")
  @MethodSource("pairingsAndTiles")
  void everyPairFallsInTheOraclesBinAndWindow(Statistics s, Pairing p, int block) {
    InputDistances oracle = p.oracle();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        CosineTileDistances tiles = p.tiles(manager)) {
      long pairs = 0;
      List<String> wrong = new ArrayList<>();
      for (TilePlan.Tile t : p.plan(block).tiles()) {
        float[] got = tiles.tile(t, manager, s.criticalValues()).toFloatArray();
        for (int i = 0; i < t.height(); i++) {
          for (int j = 0; j < t.width(); j++) {
            float ref = oracle.get(t.rowStart() + i, t.colStart() + j);
            float d = got[i * t.width() + j];
            if (s.bins().indexOf(d) != s.bins().indexOf(ref) || s.inWindow(d) != s.inWindow(ref)) {
              wrong.add(t + " (" + i + ", " + j + "): " + d + " against " + ref);
            }
            pairs++;
          }
        }
      }
      assertTrue(pairs > 0);
      assertEquals(List.of(), wrong, "pairs binned or windowed otherwise than the oracle's");
    }
  }

  @Test
  void rawFloat32ProductsMisbinNearEdgePairsAndTheRecheckedOnesNone() {
    Statistics s = new Statistics("default bins", DistanceBins.defaults(), 0, 2);
    Pairing p = Pairing.square(s.criticalValues(), 40, 400);
    InputDistances oracle = p.oracle();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        CosineTileDistances tiles = p.tiles(manager)) {
      int rawWrong = 0;
      int checkedWrong = 0;
      for (TilePlan.Tile t : p.plan(300).tiles()) {
        float[] raw = tiles.tile(t, manager).toFloatArray();
        float[] checked = tiles.tile(t, manager, s.criticalValues()).toFloatArray();
        for (int i = 0; i < t.height(); i++) {
          for (int j = 0; j < t.width(); j++) {
            int ref = s.bins().indexOf(oracle.get(t.rowStart() + i, t.colStart() + j));
            rawWrong += s.bins().indexOf(raw[i * t.width() + j]) != ref ? 1 : 0;
            checkedWrong += s.bins().indexOf(checked[i * t.width() + j]) != ref ? 1 : 0;
          }
        }
      }
      assertTrue(rawWrong > 0, "float32 products alone bin every pair as the oracle: no test");
      assertEquals(0, checkedWrong, "rechecked pairs in another bin (" + rawWrong + " raw)");
    }
  }

  @Test
  void everyDistanceLiesWithinTheBoundOfTheOracles() {
    double[] targets = new Statistics("default", DistanceBins.defaults(), 0, 2).criticalValues();
    for (Pairing p :
        List.of(Pairing.square(targets, 20, 100), Pairing.rectangle(targets, 30, 90))) {
      InputDistances oracle = p.oracle();
      try (NDManager manager = NDManager.newBaseManager(Device.cpu());
          CosineTileDistances tiles = p.tiles(manager)) {
        double bound = tiles.bound();
        double worst = 0;
        for (TilePlan.Tile t : p.plan(50).tiles()) {
          float[] raw = tiles.tile(t, manager).toFloatArray();
          float[] checked = tiles.tile(t, manager, targets).toFloatArray();
          for (int i = 0; i < t.height(); i++) {
            for (int j = 0; j < t.width(); j++) {
              float ref = oracle.get(t.rowStart() + i, t.colStart() + j);
              worst = Math.max(worst, Math.abs(raw[i * t.width() + j] - (double) ref));
              worst = Math.max(worst, Math.abs(checked[i * t.width() + j] - (double) ref));
            }
          }
        }
        assertTrue(worst <= bound, p + ": |d - ref| up to " + worst + " > bound " + bound);
        assertTrue(worst > 0, p + ": float32 products exact everywhere, the bound untested");
      }
    }
  }

  @Test
  void pairsNearACriticalValueAreBitwiseTheOraclesAndTheOthersTheRawValues() {
    Statistics s = new Statistics("uneven", UNEVEN, 0.45, 1.15);
    double[] critical = s.criticalValues();
    Pairing p = Pairing.square(critical, 40, 400);
    InputDistances oracle = p.oracle();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        CosineTileDistances tiles = p.tiles(manager)) {
      double bound = tiles.bound();
      int near = 0;
      for (TilePlan.Tile t : p.plan(300).tiles()) {
        float[] raw = tiles.tile(t, manager).toFloatArray();
        float[] checked = tiles.tile(t, manager, critical).toFloatArray();
        for (int k = 0; k < raw.length; k++) {
          float ref = oracle.get(t.rowStart() + k / t.width(), t.colStart() + k % t.width());
          String at = t + " pair " + k;
          // Raw values clamped to 0 or 2 may have been outside [0, 2]: rechecked too.
          boolean mustRecheck = raw[k] == 0 || raw[k] == 2;
          for (double c : critical) {
            mustRecheck |= Math.abs(raw[k] - c) <= bound;
          }
          if (mustRecheck) {
            near++;
            assertEquals(ref, checked[k], 0, at + ": rechecked, so the oracle's float");
          } else {
            // Cells a little wider than the bound may recheck a pair that needs none.
            assertTrue(checked[k] == raw[k] || checked[k] == ref, at + ": raw or the oracle's");
          }
        }
      }
      assertTrue(near > 0, "no pair near a critical value: no test");
    }
  }

  @Test
  void theHostTileIsTheDeviceTile() {
    float[] x = NearEdgeInputs.gaussian(45, 50, 1);
    float[] y = NearEdgeInputs.gaussian(31, 50, 2);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        CosineTileDistances tiles = new CosineTileDistances(x, 45, y, 31, 50, manager)) {
      for (TilePlan.Tile t : new TilePlan(45, 31, false, 16, 16).tiles()) {
        assertArrayEquals(tiles.tile(t, manager).toFloatArray(), tiles.hostTile(t, manager));
      }
    }
  }

  @Test
  void tilesLeaveNothingBehindOnTheDevice() {
    double[] critical = new Statistics("default", DistanceBins.defaults(), 0, 2).criticalValues();
    Pairing p = Pairing.square(critical, 20, 100);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        CosineTileDistances tiles = p.tiles(manager)) {
      TilePlan plan = p.plan(32);
      tiles.tile(plan.tile(0), manager, critical).close(); // uploads the inputs and the cells
      int held = ((BaseNDManager) manager).getManagedArrays().size();
      for (TilePlan.Tile t : plan.tiles()) {
        tiles.tile(t, manager, critical).close();
        tiles.tile(t, manager).close();
        tiles.hostTile(t, manager);
      }
      assertEquals(held, ((BaseNDManager) manager).getManagedArrays().size(), "arrays left");
    }
  }

  @Test
  void theBoundIsTf32sOnAGpuToldToMultiplyAsTf32Only() {
    Map<String, String> tf32 = Map.of(Tf32Override.CUBLAS, "1");
    double fp32 = CosineRoundingBound.fp32(DIM);
    assertEquals(fp32, CosineTileDistances.bound(Device.gpu(), DIM, Map.of()));
    assertEquals(fp32, CosineTileDistances.bound(Device.cpu(), DIM, tf32));
    double gpu = CosineTileDistances.bound(Device.gpu(), DIM, tf32);
    assertTrue(gpu >= 0x1p-9, "TF32 operands alone err by 2^-10 each: " + gpu);
    // gamma(784, 2^-24) = 4.67e-5 dominates the fp32 bound; the rest is a few units of 2^-24.
    assertEquals(784 * 0x1p-24 / (1 - 784 * 0x1p-24), fp32, 10 * 0x1p-24);
  }

  @Test
  void aZeroOrNonFiniteInputOrATileBeyondTheSetsIsRefused() {
    float[] x = NearEdgeInputs.gaussian(4, 3, 3);
    x[6] = x[7] = x[8] = 0; // example 2 is the zero vector
    float[] y = NearEdgeInputs.gaussian(4, 3, 5);
    y[4] = Float.NaN; // example 1 is not finite
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new CosineTileDistances(x, 4, x, 4, 3, manager));
      assertTrue(e.getMessage().contains("row example 2"), e.getMessage());
      float[] ok = NearEdgeInputs.gaussian(4, 3, 4);
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new CosineTileDistances(ok, 4, y, 4, 3, manager));
      assertTrue(e.getMessage().contains("column example 1"), e.getMessage());
      try (CosineTileDistances d = new CosineTileDistances(ok, 4, ok, 4, 3, manager)) {
        TilePlan.Tile beyond = new TilePlan(8, 8, true, 4, 4).tile(2);
        assertThrows(IllegalArgumentException.class, () -> d.tile(beyond, manager));
        assertThrows(
            IllegalArgumentException.class, () -> d.tile(beyond, manager, new double[] {1}));
      }
    }
  }
}
