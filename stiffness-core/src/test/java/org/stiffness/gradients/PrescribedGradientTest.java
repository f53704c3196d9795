package org.stiffness.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** A prescribed gradient leaves the value's bits alone and is what the backward pass delivers. */
class PrescribedGradientTest {

  @Test
  void valueKeepsItsBitsAndTheInputReceivesExactlyTheGradient() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      // -0 is the loss of a perfectly fit example: -logSoftmax = -(+0).
      float[] values = {0.75f, -0.0f, 3.0e38f};
      // Logits near fp32's largest value: x * g would overflow, x - stop(x) does not.
      float[] x = {1f, -2f, 3e38f, 0.5f, -3e38f, 7f};
      float[] g = {0.25f, -1e-20f, -3f, -0f, -0.5f, 1e-30f};
      float[] weights = {2f, -3f, 0.5f};
      NDArray input = manager.create(x, new Shape(3, 2));
      input.setRequiresGradient(true);
      float[] result;
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray losses =
            PrescribedGradient.of(
                manager.create(values), input, manager.create(g, new Shape(3, 2)));
        result = losses.toFloatArray();
        collector.backward(losses.mul(manager.create(weights)).sum());
      }
      assertArrayEquals(values, result);
      float[] expected = new float[x.length];
      for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 2; k++) {
          expected[i * 2 + k] = weights[i] * g[i * 2 + k];
        }
      }
      assertArrayEquals(expected, input.getGradient().toFloatArray());
    }
  }

  /** Here no sum adds the {@code +0} that turns the carrier's {@code -0} into {@code +0}. */
  @Test
  void inputWithoutFeatureAxesIsNotSummedOverTheBatchAndKeepsMinusZero() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray input = manager.create(new float[] {1f, 2f, 3f});
      input.setRequiresGradient(true);
      float[] result;
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray losses =
            PrescribedGradient.of(
                manager.create(new float[] {4f, -0.0f, 6f}),
                input,
                manager.create(new float[] {-1f, -0.5f, 2f}));
        result = losses.toFloatArray();
        collector.backward(losses.sum());
      }
      assertArrayEquals(new float[] {4f, -0.0f, 6f}, result);
      assertArrayEquals(new float[] {-1f, -0.5f, 2f}, input.getGradient().toFloatArray());
    }
  }
}
