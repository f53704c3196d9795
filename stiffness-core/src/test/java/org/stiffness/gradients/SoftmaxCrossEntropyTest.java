package org.stiffness.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The engine's softmax cross-entropy against the float64 oracle, at losses from 3 to 1e-26. */
class SoftmaxCrossEntropyTest {
  private static final int CLASSES = 5;

  /** Margins of the label's logit over the others, in nats: losses from about 3 to 1e-26. */
  private static final double[] MARGINS = {-1, 0, 1, 3, 6, 10, 14, 17, 20, 30, 45, 60};

  @Test
  void gradientWithRespectToTheLogitsHasFp32RelativePrecisionAtEveryLoss() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Batch batch = Batch.of(new Random(3));
      NDArray logits = manager.create(batch.logits, new Shape(MARGINS.length, CLASSES));
      logits.setRequiresGradient(true);
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        collector.backward(
            new SoftmaxCrossEntropy()
                .perExample(new NDList(logits), manager.create(batch.labelValues()))
                .sum());
      }
      float[] gradient = logits.getGradient().toFloatArray();
      for (int i = 0; i < MARGINS.length; i++) {
        double[] reference =
            org.stiffness.oracle.SoftmaxCrossEntropy.gradient(batch.row(i), batch.labels[i]);
        for (int k = 0; k < CLASSES; k++) {
          // p_k = exp(z_k - logsumexp z) inherits the rounding of the exponent, at most about
          // 60 * 2^-24 = 3.6e-6 here; p_y - 1 by cancellation would be off by up to 100 %.
          double error = Math.abs(gradient[i * CLASSES + k] - reference[k]);
          assertTrue(
              error <= 1e-5 * Math.abs(reference[k]),
              "margin " + MARGINS[i] + ", logit " + k + ": relative error " + error / reference[k]);
        }
      }
    }
  }

  /**
   * The value is the one the loss always had, {@code -logSoftmax(z)[y]} in fp32, to the bit; the
   * float64 oracle confirms it is the loss (within fp32's rounding of the logits' size).
   */
  @Test
  void valueIsMinusTheLogSoftmaxOfTheLabel() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Batch batch = Batch.of(new Random(4));
      NDArray logits = manager.create(batch.logits, new Shape(MARGINS.length, CLASSES));
      NDArray labels = manager.create(batch.labelValues());
      float[] losses =
          new SoftmaxCrossEntropy().perExample(new NDList(logits), labels).toFloatArray();
      float[] logSoftmaxAtLabel =
          logits
              .logSoftmax(1)
              .gather(labels.toType(DataType.INT64, false).reshape(-1, 1), 1)
              .neg()
              .reshape(-1)
              .toFloatArray();
      assertArrayEquals(logSoftmaxAtLabel, losses);
      for (int i = 0; i < MARGINS.length; i++) {
        double reference =
            org.stiffness.oracle.SoftmaxCrossEntropy.loss(batch.row(i), batch.labels[i]);
        assertEquals(
            reference, losses[i], 1e-6 * (1 + Math.abs(MARGINS[i])), "margin " + MARGINS[i]);
      }
    }
  }

  /** One row per margin: logits around 0 with the label's raised by its margin over the rest. */
  private record Batch(float[] logits, int[] labels) {
    static Batch of(Random random) {
      float[] logits = new float[MARGINS.length * CLASSES];
      int[] labels = new int[MARGINS.length];
      for (int i = 0; i < MARGINS.length; i++) {
        labels[i] = random.nextInt(CLASSES);
        double largestOther = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < CLASSES; k++) {
          if (k != labels[i]) {
            logits[i * CLASSES + k] = (float) random.nextGaussian();
            largestOther = Math.max(largestOther, logits[i * CLASSES + k]);
          }
        }
        logits[i * CLASSES + labels[i]] = (float) (largestOther + MARGINS[i]);
      }
      return new Batch(logits, labels);
    }

    /** Row i widened exactly to float64, for the oracle. */
    double[] row(int i) {
      double[] z = new double[CLASSES];
      for (int k = 0; k < CLASSES; k++) {
        z[k] = logits[i * CLASSES + k];
      }
      return z;
    }

    float[] labelValues() {
      float[] values = new float[labels.length];
      for (int i = 0; i < labels.length; i++) {
        values[i] = labels[i];
      }
      return values;
    }
  }

  @Test
  void aLabelOutsideTheClassesIsRefusedOnTheDeviceAndOnTheHost() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray logits = manager.zeros(new Shape(3, CLASSES));
      String expected =
          "label 5.0 at row 2 is not a class index in [0, 5) for a model with 5 outputs";
      IllegalArgumentException onDevice =
          Assertions.assertThrows(
              IllegalArgumentException.class,
              () ->
                  new SoftmaxCrossEntropy()
                      .perExample(new NDList(logits), manager.create(new int[] {0, 4, 5})));
      assertEquals(expected, onDevice.getMessage());
      IllegalArgumentException onHost =
          Assertions.assertThrows(
              IllegalArgumentException.class,
              () -> SoftmaxCrossEntropy.requireClassLabels(new int[] {0, 4, 5}, CLASSES));
      assertEquals(expected, onHost.getMessage());
    }
  }

  @Test
  void theLossForHostCheckedLabelsIsTheSameLoss() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Batch batch = Batch.of(new Random(5));
      float[][] results = new float[2][];
      float[][] gradients = new float[2][];
      SoftmaxCrossEntropy[] losses = {
        new SoftmaxCrossEntropy(), SoftmaxCrossEntropy.ofCheckedLabels()
      };
      for (int k = 0; k < 2; k++) {
        NDArray logits = manager.create(batch.logits, new Shape(MARGINS.length, CLASSES));
        logits.setRequiresGradient(true);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
          NDArray values =
              losses[k].perExample(new NDList(logits), manager.create(batch.labelValues()));
          results[k] = values.toFloatArray();
          collector.backward(values.sum());
        }
        gradients[k] = logits.getGradient().toFloatArray();
      }
      assertArrayEquals(results[0], results[1]);
      assertArrayEquals(gradients[0], gradients[1]);
    }
  }
}
