package org.stiffness.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stiffness.GradientMethod;
import org.stiffness.StiffnessEngine;
import org.stiffness.datasets.ImageShape;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.experiments.MeasurementSettings;
import org.stiffness.experiments.Training;
import org.stiffness.gradients.Examples;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.gradients.rules.GradientRules;
import org.stiffness.gram.GramMatrix;
import org.stiffness.vision.models.PaperModels;

/**
 * The paper's CNN and ResNet20 train with {@link Training} and are measured on the batched probe
 * path, never the batch-of-one fallback, at every checkpoint of training.
 *
 * <p>The measurement mirrors {@link StiffnessMeasurement}: an AUTO engine with the experiment's
 * default Gram options, built on the frozen model at a training callback. Its Gram matrix is
 * checked against the batch-of-one loop (the independent oracle) on a few examples.
 */
class ConvolutionalTrainingTest {
  /** Probe Gram entries agree with the loop's to this fraction of sqrt(K_ii K_jj). */
  private static final double COSINE_TOLERANCE = 1e-4;

  /** Examples on which the probe Gram is compared with the batch-of-one loop. */
  private static final int ORACLE_EXAMPLES = 8;

  /** What the measurement at one checkpoint saw. */
  private record Checkpoint(long step, String method, String reportedExtractor) {}

  private static Block initialised(Block model, NDManager manager, ImageShape shape, int seed) {
    manager.getEngine().setRandomSeed(seed);
    model.initialize(
        manager, DataType.FLOAT32, new Shape(1, shape.channels(), shape.height(), shape.width()));
    return model;
  }

  /**
   * Measures like {@link StiffnessMeasurement} and checks the probe Gram against the loop's.
   *
   * @return the engine's gradient method and the extractor its Gram report names
   */
  private static Checkpoint measure(Block model, LabelledImages data, long step) {
    assertNull(
        ProbeExtractor.unsupportedReason(model, GradientRules.defaults()),
        "every trainable layer has a probe rule");
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      int[] rows = new int[ORACLE_EXAMPLES];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = i * (data.size() / ORACLE_EXAMPLES);
      }
      Examples examples =
          Examples.of(ImageData.inputs(manager, data, rows), manager.create(labels(data, rows)));
      GramMatrix fast;
      String method;
      String reported;
      try (StiffnessEngine engine =
          StiffnessEngine.builder(model)
              .device(Device.cpu())
              .options(MeasurementSettings.defaults().gram())
              .build()) {
        method = engine.method();
        fast = engine.gram(examples);
        reported = engine.lastReport().extractor();
      }
      GramMatrix loop;
      try (StiffnessEngine engine =
          StiffnessEngine.builder(model).method(GradientMethod.GENERIC).build()) {
        loop = engine.gram(examples);
      }
      for (int i = 0; i < ORACLE_EXAMPLES; i++) {
        for (int j = 0; j < ORACLE_EXAMPLES; j++) {
          double scale = Math.sqrt(loop.get(i, i) * (double) loop.get(j, j));
          assertTrue(scale > 0, "non-zero gradients at step " + step);
          assertEquals(
              loop.get(i, j),
              fast.get(i, j),
              COSINE_TOLERANCE * scale,
              "K[" + i + "][" + j + "] at step " + step);
        }
      }
      return new Checkpoint(step, method, reported);
    }
  }

  private static int[] labels(LabelledImages data, int[] rows) {
    int[] out = new int[rows.length];
    for (int k = 0; k < rows.length; k++) {
      out[k] = data.label(rows[k]);
    }
    return out;
  }

  private static void assertProbeAtEveryCheckpoint(List<Checkpoint> checkpoints, int expected) {
    assertEquals(expected, checkpoints.size(), checkpoints.toString());
    for (Checkpoint c : checkpoints) {
      assertEquals("probe", c.method(), "gradient method at " + c);
      assertEquals("probe", c.reportedExtractor(), "Gram report at " + c);
    }
  }

  /**
   * The paper's CNN on the built-in 8x8 digits, as {@code stiffness vision --dataset digits --model
   * cnn} runs it (three 2x2 poolings take 8x8 to 1x1, so the dense layer sees 32 features).
   */
  @Test
  void cnnLearnsTheDigitsWithAdamAndIsMeasuredOnTheProbePath() throws IOException {
    TrainTestSplit digits = Digits.paperSplit();
    List<Checkpoint> checkpoints = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Block cnn = initialised(PaperModels.cnn(10), manager, digits.train().shape(), 0);
      Training.Evaluation before = Training.evaluate(cnn, ImageData.of(digits.train()));
      long steps = 120; // about 3 epochs of 41 batches of 32
      Training.train(
          cnn,
          ImageData.of(digits.train()),
          Training.Config.adam(1e-3),
          steps,
          new long[] {0, steps},
          (step, epoch) -> checkpoints.add(measure(cnn, digits.test(), step)));
      Training.Evaluation after = Training.evaluate(cnn, ImageData.of(digits.train()));
      Training.Evaluation val = Training.evaluate(cnn, ImageData.of(digits.test()));
      assertTrue(after.loss() < 0.5 * before.loss(), before + " -> " + after);
      // Chance is 0.1 on ten balanced classes.
      assertTrue(after.accuracy() > 0.7, "train " + after);
      assertTrue(val.accuracy() > 0.6, "val " + val);
    }
    assertProbeAtEveryCheckpoint(checkpoints, 2);
  }

  @Test
  void cnnLearnsTheDigitsWithSgd() throws IOException {
    TrainTestSplit digits = Digits.paperSplit();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Block cnn = initialised(PaperModels.cnn(10), manager, digits.train().shape(), 0);
      Training.Evaluation before = Training.evaluate(cnn, ImageData.of(digits.train()));
      Training.Config sgd = Training.Config.adam(0.1).withOptimizer(Training.OptimizerKind.SGD);
      Training.train(cnn, ImageData.of(digits.train()), sgd, 120, new long[0], (s, e) -> {});
      Training.Evaluation after = Training.evaluate(cnn, ImageData.of(digits.train()));
      assertTrue(after.loss() < 0.5 * before.loss(), before + " -> " + after);
      // Chance is 0.1 on ten balanced classes.
      assertTrue(after.accuracy() > 0.6, "train " + after);
    }
  }

  /**
   * RGB images of side {@code side} whose class k has a bright k-th quadrant over Gaussian noise:
   * learnable in a few steps, so a falling loss shows that gradients flow through every residual
   * block.
   */
  private static LabelledImages quadrants(int n, int classes, int side, long seed) {
    ImageShape shape = new ImageShape(3, side, side);
    int half = side / 2;
    Random random = new Random(seed);
    float[] pixels = new float[n * shape.features()];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % classes;
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < side; y++) {
          for (int x = 0; x < side; x++) {
            int quadrant = (y / half) * 2 + x / half;
            float signal = quadrant == labels[i] ? 1f : 0f;
            pixels[i * shape.features() + (c * side + y) * side + x] =
                signal + 0.5f * (float) random.nextGaussian();
          }
        }
      }
    }
    List<String> names = List.of("top-left", "top-right", "bottom-left", "bottom-right");
    return new LabelledImages("quadrants", shape, pixels, labels, names.subList(0, classes));
  }

  /**
   * ResNet20 on 16x16 RGB images: a quarter of CIFAR's pixels keeps the test short while both
   * stride-2 stages with their projection shortcuts still run (16 -> 8 -> 4).
   */
  @Test
  void resnet20TrainsAndIsMeasuredOnTheProbePath() throws IOException {
    LabelledImages train = quadrants(32, 4, 16, 1);
    List<Checkpoint> checkpoints = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Block resnet = initialised(PaperModels.resnet20(4), manager, train.shape(), 0);
      Training.Evaluation before = Training.evaluate(resnet, ImageData.of(train));
      long steps = 8; // 4 epochs of 2 batches of 16
      Training.Result result =
          Training.train(
              resnet,
              ImageData.of(train),
              Training.Config.adam(1e-3).withBatchSize(16),
              steps,
              new long[] {steps},
              (step, epoch) -> checkpoints.add(measure(resnet, train, step)));
      Training.Evaluation after = Training.evaluate(resnet, ImageData.of(train));
      assertTrue(after.loss() < 0.7 * before.loss(), before + " -> " + after);
      float[] losses = result.batchLosses();
      double first = (losses[0] + losses[1]) / 2;
      double last = (losses[6] + losses[7]) / 2;
      assertTrue(last < first, "first epoch " + first + ", last epoch " + last);
    }
    assertProbeAtEveryCheckpoint(checkpoints, 1);
  }
}
