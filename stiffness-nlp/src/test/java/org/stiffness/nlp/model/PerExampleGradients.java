package org.stiffness.nlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import org.stiffness.gradients.Examples;
import org.stiffness.gradients.LayerGradient;
import org.stiffness.gradients.SoftmaxCrossEntropy;
import org.stiffness.gradients.internal.BatchOfOneExtractor;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.gradients.rules.GradientRules;

/** Per-example gradients as plain {@code float[B][P]} rows, from either extractor. */
final class PerExampleGradients {
  private PerExampleGradients() {}

  /** The probe path's per-layer gradients, materialised and concatenated per example. */
  static float[][] probe(Block model, Examples examples, NDManager manager) {
    try (NDManager results = manager.newSubManager();
        ProbeExtractor probe =
            new ProbeExtractor(
                model, new SoftmaxCrossEntropy(), GradientRules.defaults(), Device.cpu())) {
      List<LayerGradient> layers = probe.extract(examples, results);
      NDList parts = new NDList();
      for (LayerGradient layer : layers) {
        parts.add(layer.materialise());
      }
      return rows(NDArrays.concat(parts, 1).toFloatArray(), examples.size());
    }
  }

  /** The probe path's per-layer gradients of one layer (by path), materialised {@code (B, P_l)}. */
  static float[][] probeLayer(Block model, Examples examples, String path, NDManager manager) {
    try (NDManager results = manager.newSubManager();
        ProbeExtractor probe =
            new ProbeExtractor(
                model, new SoftmaxCrossEntropy(), GradientRules.defaults(), Device.cpu())) {
      for (LayerGradient layer : probe.extract(examples, results)) {
        if (layer.layer().equals(path)) {
          return rows(layer.materialise().toFloatArray(), examples.size());
        }
      }
      throw new AssertionError("no probed layer " + path);
    }
  }

  /** The batch-of-one loop's gradients, one backward pass per example. */
  static float[][] loop(Block model, Examples examples, NDManager manager) {
    try (NDManager results = manager.newSubManager();
        BatchOfOneExtractor loop =
            new BatchOfOneExtractor(model, new SoftmaxCrossEntropy(), Device.cpu())) {
      return rows(
          loop.extract(examples, results).get(0).materialise().toFloatArray(), examples.size());
    }
  }

  private static float[][] rows(float[] flat, int count) {
    int width = flat.length / count;
    float[][] rows = new float[count][width];
    for (int i = 0; i < count; i++) {
      System.arraycopy(flat, i * width, rows[i], 0, width);
    }
    return rows;
  }

  /** Asserts {@code ||actual_i - expected_i|| <= tolerance ||expected_i||} for every example i. */
  static void assertClose(float[][] expected, float[][] actual, double tolerance) {
    assertEquals(expected.length, actual.length, "examples");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i].length, actual[i].length, "parameters of example " + i);
      double diff = 0;
      double norm = 0;
      for (int k = 0; k < expected[i].length; k++) {
        double e = expected[i][k] - (double) actual[i][k];
        diff += e * e;
        norm += expected[i][k] * (double) expected[i][k];
      }
      assertTrue(norm > 0, "gradient of example " + i + " is zero");
      double error = Math.sqrt(diff / norm);
      assertTrue(error <= tolerance, "example " + i + ": relative error " + error);
    }
  }
}
