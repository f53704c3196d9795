package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.LayerStrategy;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.tiles.TileReducer;
import org.stiffness.testing.RandomExamples;

/**
 * What a tiled measurement's configuration hash and default plan depend on: the device type (CPU
 * and GPU kernels round differently, so their tiles must never be merged into one measurement), and
 * a default budget fixed per device type rather than read from a node's free memory.
 */
class TiledConfigurationTest {
  private static final int CLASSES = 10;
  private static final Shape EXAMPLE = new Shape(8);

  @TempDir static Path dir;
  private static Path checkpoint;

  @BeforeAll
  static void saveACheckpoint() throws IOException {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Block model = model(CLASSES);
      model.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(EXAMPLE));
      MeasurementSettings settings = MeasurementSettings.defaults().withCheckpoints("mlp");
      try (StiffnessMeasurement measurement =
          new StiffnessMeasurement(
              owner -> List.of(set(owner, "train", 0), set(owner, "val", 40)),
              StiffnessMeasurement.standardPairings(),
              List.of(),
              InputDistance.cosineOfInputs(),
              CLASSES,
              Device.cpu(),
              dir,
              settings)) {
        measurement.measure(model, new CheckpointId(0.01, 0, "matrices/lr=0.01/step=000000"));
      }
    }
    checkpoint = dir.resolve("checkpoints/lr=0.01/step=000000");
  }

  /** A small classifier; what the hash covers does not depend on the model. */
  private static Block model(int classes) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(16).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(classes).build());
  }

  private static MeasuredSet set(NDManager owner, String name, long firstId) {
    RandomExamples r = RandomExamples.of(owner, name, EXAMPLE, 40, CLASSES, firstId, firstId);
    return new MeasuredSet(r.examples(), r.labels(), Map.of());
  }

  @Test
  void tilesOfACpuAndOfAGpuHaveDifferentConfigurations() throws IOException {
    try (SavedCheckpoint saved =
        SavedCheckpoint.load(checkpoint, (kind, classes) -> model(classes))) {
      Map<String, TilePlan> plans = Map.of("train-train", new TilePlan(40, 40, true, 20, 20));
      String cpu = hash(saved, "cpu", plans);
      assertNotEquals(cpu, hash(saved, "gpu", plans));
      assertEquals(cpu, hash(saved, "cpu", plans), "the same configuration hashes the same");
    }
  }

  private static String hash(
      SavedCheckpoint saved, String deviceType, Map<String, TilePlan> plans) {
    return TiledMeasurement.hash(
        saved, deviceType, Precision.FP32, LayerStrategy.AUTO, "probe", TileReducer.NAME, plans);
  }

  @Test
  void theDefaultBudgetFollowsTheDeviceTypeNotTheNode() throws IOException {
    try (SavedCheckpoint saved =
        SavedCheckpoint.load(checkpoint, (kind, classes) -> model(classes))) {
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
