package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.internal.GramAssembly;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * Two computations of one example's squared norm: bitwise on a CPU, within the fp32 bound on a GPU.
 * The recomputation of a block is stood in for by real tiles of the engine whose norms are
 * perturbed, by less and by more than the bound allows.
 */
class ExampleNormsTest {
  private static final TilePlan PLAN = new TilePlan(30, 30, true, 10, 10);

  @Test
  void aCpuAsksForBitwiseNormsAndAGpuForTheFp32Bound() {
    assertEquals(0, ExampleNorms.tolerance(Device.cpu(), Precision.FP32, 784));
    double c = Precision.FP32.relativeError(784);
    assertEquals(2 * c, ExampleNorms.tolerance(Device.gpu(0), Precision.FP32, 784));
    assertTrue(
        ExampleNorms.tolerance(Device.gpu(0), Precision.FP16, 784) > 2 * c, "fp16 rounds more");
  }

  @Test
  void aRecomputationWithinTheBoundIsTakenOnAGpuAndRefusedOnACpu() {
    List<GramTile> tiles = engineTiles();
    double tolerance = ExampleNorms.tolerance(Device.gpu(0), Precision.FP32, innerLength(tiles));
    // Tile (0, 1) computes block 0 again, a little off: within the GPU's bound, not bitwise.
    List<GramTile> perturbed = withRowNorms(tiles, 1, 1 + tolerance / 4);
    assemble(perturbed, tolerance); // taken
    IllegalArgumentException cpu =
        assertThrows(IllegalArgumentException.class, () -> assemble(perturbed, 0));
    assertTrue(cpu.getMessage().contains("same deterministic computation"), cpu.getMessage());
  }

  @Test
  void aRecomputationBeyondTheBoundIsRefusedOnAGpu() {
    List<GramTile> tiles = engineTiles();
    double tolerance = ExampleNorms.tolerance(Device.gpu(0), Precision.FP32, innerLength(tiles));
    List<GramTile> perturbed = withRowNorms(tiles, 1, 1 + 4 * tolerance);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> assemble(perturbed, tolerance));
    assertTrue(e.getMessage().contains("fp32 bound"), e.getMessage());
    assemble(tiles, 0); // the engine's own tiles agree bitwise on a CPU
  }

  @Test
  void equalNormsAgreeUnderAnyTolerance() {
    ExampleNorms norms = new ExampleNorms(2, Double.POSITIVE_INFINITY);
    TilePlan.Tile t = PLAN.tile(0);
    norms.record(t, "row", 0, new double[] {0, 3}, new double[] {0, 2});
    norms.record(t, "row", 0, new double[] {0, 3}, new double[] {0, 2}); // zero gradients too
    assertEquals(3, norms.squared()[1]);
  }

  private static void assemble(List<GramTile> tiles, double tolerance) {
    GramAssembly assembly = new GramAssembly(PLAN, tolerance);
    tiles.forEach(assembly::add);
  }

  private static long innerLength(List<GramTile> tiles) {
    return tiles.get(0).innerLength();
  }

  /** The tiles with tile {@code index}'s row norms and error scales scaled by {@code factor}. */
  private static List<GramTile> withRowNorms(List<GramTile> tiles, int index, double factor) {
    List<GramTile> out = new ArrayList<>(tiles);
    GramTile t = tiles.get(index);
    double[] norms = t.rowSquaredNorms().clone();
    for (int i = 0; i < norms.length; i++) {
      norms[i] *= factor;
    }
    out.set(
        index,
        new GramTile(
            t.tile(),
            t.values(),
            norms,
            t.rowErrorScale(),
            t.colSquaredNorms(),
            t.colErrorScale(),
            t.innerLength()));
    return out;
  }

  private static List<GramTile> engineTiles() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 30, 4, 3, 0).examples();
      GramOptions options = GramOptions.defaults().withBlockSize(10).withMemoryBudget(1L << 30);
      try (StiffnessEngine engine = StiffnessEngine.builder(twin.block()).options(options).build();
          TileSource tiles = engine.tiles(PLAN, x, x)) {
        assertEquals(0, engine.normTolerance(x, x), "bitwise on a CPU");
        List<GramTile> out = new ArrayList<>();
        for (TilePlan.Tile t : PLAN.tiles()) {
          out.add(tiles.hostTile(t.index()));
        }
        return out;
      }
    }
  }
}
