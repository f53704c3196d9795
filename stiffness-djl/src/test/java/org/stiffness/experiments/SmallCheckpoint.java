package org.stiffness.experiments;

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
import java.util.Locale;
import java.util.Map;
import org.stiffness.testing.RandomExamples;

/**
 * A checkpoint saved by a real measurement of a small classifier on 40 random train and 40 random
 * val examples, for the tests that load, hash or merge one.
 */
final class SmallCheckpoint {
  static final int CLASSES = 10;
  private static final Shape EXAMPLE = new Shape(8);

  private SmallCheckpoint() {}

  /**
   * Measures the classifier at {@code lr} and {@code step} into {@code dir} with {@code settings}
   * (which must keep checkpoints of kind "mlp").
   *
   * @return the checkpoint's directory
   */
  static Path save(Path dir, MeasurementSettings settings, double lr, int step) throws IOException {
    String name = "lr=" + lr + "/step=" + String.format(Locale.ROOT, "%06d", step);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Block model = model(CLASSES);
      model.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(EXAMPLE));
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
        measurement.measure(model, new CheckpointId(lr, step, "matrices/" + name));
      }
    }
    return dir.resolve("checkpoints/" + name);
  }

  /** The classifier, untrained; the kind "mlp" is built with this. */
  static Block model(int classes) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(16).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(classes).build());
  }

  private static MeasuredSet set(NDManager owner, String name, long firstId) {
    RandomExamples r = RandomExamples.of(owner, name, EXAMPLE, 40, CLASSES, firstId, firstId);
    return new MeasuredSet(r.examples(), r.labels(), Map.of());
  }
}
