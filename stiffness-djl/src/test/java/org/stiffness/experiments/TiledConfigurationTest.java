package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.LayerStrategy;
import org.stiffness.gram.MemoryBudget;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.tiles.TileReducer;

/**
 * What a tiled measurement's configuration hash and default plan depend on: the device type (CPU
 * and GPU kernels round differently, so their tiles must never be merged into one measurement), and
 * a default budget fixed per device type rather than read from a node's free memory.
 */
class TiledConfigurationTest {
  @TempDir static Path dir;
  private static Path checkpoint;

  @BeforeAll
  static void saveACheckpoint() throws IOException {
    checkpoint =
        SmallCheckpoint.save(dir, MeasurementSettings.defaults().withCheckpoints("mlp"), 0.01, 0);
  }

  @Test
  void tilesOfACpuAndOfAGpuHaveDifferentConfigurations() throws IOException {
    try (SavedCheckpoint saved =
        SavedCheckpoint.load(
            checkpoint, CheckpointKinds.of((kind, classes) -> SmallCheckpoint.model(classes)))) {
      Map<String, TilePlan> plans = Map.of("train-train", new TilePlan(40, 40, true, 20, 20));
      String cpu = hash(saved, "cpu", CPU, plans);
      assertNotEquals(cpu, hash(saved, "gpu", H100, plans));
      assertEquals(cpu, hash(saved, "cpu", CPU, plans), "the same configuration hashes the same");
    }
  }

  /** An A100 and an H100, another libtorch or another CUDA: tiles of other bits, refused. */
  @Test
  void tilesOfAnotherCardOrLibraryHaveDifferentConfigurations() throws IOException {
    try (SavedCheckpoint saved =
        SavedCheckpoint.load(
            checkpoint, CheckpointKinds.of((kind, classes) -> SmallCheckpoint.model(classes)))) {
      Map<String, TilePlan> plans = Map.of("train-train", new TilePlan(40, 40, true, 20, 20));
      String h100 = hash(saved, "gpu", H100, plans);
      assertEquals(h100, hash(saved, "gpu", H100, plans));
      assertNotEquals(h100, hash(saved, "gpu", H100.replace("9.0", "8.0"), plans));
      assertNotEquals(h100, hash(saved, "gpu", H100.replace("2.7.1", "2.11.0"), plans));
      assertNotEquals(h100, hash(saved, "gpu", H100.replace("12.8", "13.0"), plans));
      assertNotEquals(
          hash(saved, "cpu", CPU, plans), hash(saved, "cpu", CPU.replace("2.7.1", "2.8.0"), plans));
    }
  }

  private static final String CPU = "cpu; PyTorch 2.7.1; oneDNN ISA AVX";
  private static final String H100 = "gpu; PyTorch 2.7.1; CUDA 12.8; compute capability 9.0";

  private static String hash(
      SavedCheckpoint saved, String deviceType, String device, Map<String, TilePlan> plans) {
    return TiledMeasurement.hash(
        saved,
        deviceType,
        device,
        Precision.FP32,
        LayerStrategy.AUTO,
        "probe",
        TileReducer.NAME,
        plans);
  }

  @Test
  void theDefaultBudgetFollowsTheDeviceTypeNotTheNode() throws IOException {
    try (SavedCheckpoint saved =
        SavedCheckpoint.load(
            checkpoint, CheckpointKinds.of((kind, classes) -> SmallCheckpoint.model(classes)))) {
      assertEquals(0, saved.settings().gram().memoryBudgetBytes(), "the run fixed no budget");
      GramOptions none = GramOptions.defaults();
      assertEquals(
          TiledMeasurement.DEFAULT_BUDGET,
          TiledMeasurement.deterministic(none, saved, Device.cpu()).memoryBudgetBytes());
      MemoryBudget.Defaults large =
          new MemoryBudget.Defaults(d -> new MemoryBudget.DeviceMemory(80L << 30, 1L << 30));
      assertEquals(
          TiledMeasurement.DEFAULT_GPU_BUDGET,
          TiledMeasurement.deterministic(none, 0, Device.gpu(0), large).memoryBudgetBytes(),
          "an 80 GiB card, whatever is free");
      MemoryBudget.Defaults small =
          new MemoryBudget.Defaults(d -> new MemoryBudget.DeviceMemory(16L << 30, 15L << 30));
      assertEquals(
          8L << 30,
          TiledMeasurement.deterministic(none, 0, Device.gpu(0), small).memoryBudgetBytes(),
          "a 16 GiB card: half of it, not the 16 GiB default");
      assertEquals(
          3L << 30,
          TiledMeasurement.deterministic(none.withMemoryBudget(3L << 30), saved, Device.gpu(1))
              .memoryBudgetBytes(),
          "a given budget wins");
    }
  }
}
