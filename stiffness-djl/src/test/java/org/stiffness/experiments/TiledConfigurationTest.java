package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.LayerStrategy;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TilePlan;
import org.stiffness.models.PaperModels;
import org.stiffness.stats.tiles.HostTileReducer;

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
    VisionExperiment.Config config =
        VisionExperiment.Config.defaults(List.of(1e-2), 1)
            .withSubsetSizes(40, 40)
            .withSchedule(MeasurementSchedule.explicit(new long[] {0}));
    config = config.withMeasurement(config.measurement().withCheckpoints("fc"));
    new VisionExperiment(Digits.paperSplit(), () -> PaperModels.fullyConnected(10), config)
        .run(dir, null, ExperimentListener.logging());
    try (Stream<Path> steps = Files.list(dir.resolve("checkpoints/lr=0.01"))) {
      checkpoint = steps.findFirst().orElseThrow();
    }
  }

  @Test
  void tilesOfACpuAndOfAGpuHaveDifferentConfigurations() throws IOException {
    try (SavedCheckpoint saved =
        SavedCheckpoint.load(checkpoint, (kind, classes) -> PaperModels.fullyConnected(classes))) {
      Map<String, TilePlan> plans = Map.of("train-train", new TilePlan(40, 40, true, 20, 20));
      String cpu = hash(saved, "cpu", plans);
      assertNotEquals(cpu, hash(saved, "gpu", plans));
      assertEquals(cpu, hash(saved, "cpu", plans), "the same configuration hashes the same");
    }
  }

  private static String hash(
      SavedCheckpoint saved, String deviceType, Map<String, TilePlan> plans) {
    return TiledMeasurement.hash(
        saved,
        deviceType,
        Precision.FP32,
        LayerStrategy.AUTO,
        "probe",
        new HostTileReducer(),
        plans);
  }

  @Test
  void theDefaultBudgetFollowsTheDeviceTypeNotTheNode() throws IOException {
    try (SavedCheckpoint saved =
        SavedCheckpoint.load(checkpoint, (kind, classes) -> PaperModels.fullyConnected(classes))) {
      assertEquals(0, saved.settings().gram().memoryBudgetBytes(), "the run fixed no budget");
      GramOptions none = GramOptions.defaults();
      assertEquals(
          TiledMeasurement.DEFAULT_BUDGET,
          TiledMeasurement.deterministic(none, saved, Device.cpu()).memoryBudgetBytes());
      assertEquals(
          TiledMeasurement.DEFAULT_GPU_BUDGET,
          TiledMeasurement.deterministic(none, saved, Device.gpu(0)).memoryBudgetBytes());
      assertEquals(
          3L << 30,
          TiledMeasurement.deterministic(none.withMemoryBudget(3L << 30), saved, Device.gpu(1))
              .memoryBudgetBytes(),
          "a given budget wins");
    }
  }
}
