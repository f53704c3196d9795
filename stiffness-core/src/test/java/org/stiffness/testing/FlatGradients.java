package org.stiffness.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;
import org.stiffness.gradients.LayerGradient;

/** Per-example gradients as one flat row per example, compared with a float64 oracle. */
public final class FlatGradients {
  private FlatGradients() {}

  /** The layers' materialised gradients joined into {@code (B, P)}, row-major. */
  public static float[] flatten(List<LayerGradient> gradients) {
    NDList parts = new NDList();
    for (LayerGradient gradient : gradients) {
      parts.add(gradient.materialise());
    }
    return NDArrays.concat(parts, 1).toFloatArray();
  }

  /**
   * Asserts {@code ||computed_i - reference_i|| <= tolerance * ||reference_i||} for every example.
   */
  public static void assertMatches(
      float[] computed, double[][] reference, double tolerance, String method) {
    int p = reference[0].length;
    assertEquals(reference.length * p, computed.length, method + ": parameter count");
    for (int i = 0; i < reference.length; i++) {
      double diff = 0;
      double norm = 0;
      for (int k = 0; k < p; k++) {
        double d = computed[i * p + k] - reference[i][k];
        diff += d * d;
        norm += reference[i][k] * reference[i][k];
      }
      double error = Math.sqrt(diff / norm);
      assertTrue(error <= tolerance, method + ": example " + i + " relative error " + error);
    }
  }
}
