package org.stiffness.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.internal.BatchOfOneExtractor;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.gradients.rules.GradientRules;
import org.stiffness.oracle.OracleNet;
import org.stiffness.testing.FlatGradients;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;

/**
 * Per-example gradients of examples the model fits almost perfectly, against the float64 oracle.
 *
 * <p>The output gradient of softmax cross-entropy at the label is {@code p_y - 1 = -(1 - p_y)};
 * formed as {@code p_y - 1} in fp32 it cancels to an absolute error of about {@code 2^-24}, a
 * relative error of {@code 2^-24 / L} that reaches 100 % near {@code L = 6e-8}. Exact gradients
 * keep fp32's relative precision at every loss.
 *
 * <p>A ReLU network without biases is positively homogeneous, {@code z(c x) = c z(x)}: scaling an
 * input scales its margins, so each example's scale is solved (in float64, on the oracle) for the
 * loss it should have, with the label set to its largest logit.
 */
class WellFitExamplesTest {
  private static final int IN = 6;
  private static final int CLASSES = 4;

  private static final double[] LOSSES = {1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7};

  /** Losses far below fp32's epsilon: fp32 then rounds {@code p_y} to exactly 1. */
  private static final double[] TINY_LOSSES = {1e-9, 1e-12, 1e-16, 1e-20};

  @Test
  void gradientsKeepTheirRelativePrecisionDownToLoss1e7() {
    compareWithTheOracle(LOSSES, 1e-5);
  }

  /**
   * Tolerance: the fp32 forward pass rounds logits {@code z} (up to about 100 here, twice the
   * largest margin) by about {@code |z| 2^-24} per operation, and {@code p_k = exp(z_k - z_y)}
   * inherits that as a relative error.
   */
  @Test
  void gradientsOfExamplesFitBeyondFp32EpsilonAreNeitherZeroNorMisdirected() {
    compareWithTheOracle(TINY_LOSSES, 2e-5);
  }

  private static void compareWithTheOracle(double[] targetLosses, double tolerance) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      manager.getEngine().setRandomSeed(17);
      Twin twin = PaperShapedModels.mlp(manager, IN, 9, 7, CLASSES);
      zeroBiases(twin);
      WellFit examples = WellFit.of(manager, twin.oracle(), targetLosses, new Random(5));
      double[][] reference =
          twin.oracle().perExampleGradients(examples.inputs(), examples.labels());
      try (ProbeExtractor probe =
              new ProbeExtractor(
                  twin.block(), new SoftmaxCrossEntropy(), GradientRules.defaults(), Device.cpu());
          BatchOfOneExtractor loop =
              new BatchOfOneExtractor(twin.block(), new SoftmaxCrossEntropy(), Device.cpu())) {
        assertMatches(
            FlatGradients.flatten(probe.extract(examples.examples(), manager)),
            reference,
            examples,
            tolerance);
        assertMatches(
            FlatGradients.flatten(loop.extract(examples.examples(), manager)),
            reference,
            examples,
            tolerance);
      }
    }
  }

  /** Biases off in the DJL block and in its oracle twin, so the network is homogeneous. */
  private static void zeroBiases(Twin twin) {
    List<float[]> values = new ArrayList<>();
    for (Pair<String, Parameter> parameter : twin.block().getParameters()) {
      float[] value = parameter.getValue().getArray().toFloatArray();
      if (parameter.getKey().endsWith("bias")) {
        value = new float[value.length];
        parameter.getValue().getArray().set(value);
      }
      values.add(value);
    }
    twin.oracle().setParameters(values);
  }

  private static void assertMatches(
      float[] computed, double[][] reference, WellFit examples, double tolerance) {
    int p = reference[0].length;
    assertEquals(reference.length * p, computed.length, "parameter count");
    for (int i = 0; i < reference.length; i++) {
      double diff = 0;
      double norm = 0;
      double computedNorm = 0;
      for (int k = 0; k < p; k++) {
        double d = computed[i * p + k] - reference[i][k];
        diff += d * d;
        norm += reference[i][k] * reference[i][k];
        computedNorm += (double) computed[i * p + k] * computed[i * p + k];
      }
      String example = "example with loss " + examples.losses()[i];
      assertTrue(computedNorm > 0, example + ": zero gradient");
      double error = Math.sqrt(diff / norm);
      assertTrue(error <= tolerance, example + ": relative error " + error);
    }
  }

  /**
   * Examples of a homogeneous network with chosen losses.
   *
   * @param inputs float32 values widened to float64, {@code (N, IN)}
   * @param losses the oracle's float64 loss of each example
   */
  private record WellFit(Examples examples, double[][] inputs, int[] labels, double[] losses) {

    static WellFit of(NDManager manager, OracleNet oracle, double[] targets, Random random) {
      int n = targets.length;
      float[] flat = new float[n * IN];
      float[] labelValues = new float[n];
      double[][] inputs = new double[n][IN];
      int[] labels = new int[n];
      double[] losses = new double[n];
      for (int i = 0; i < n; i++) {
        double[] direction = withClearMargin(oracle, random);
        double[] logits = oracle.logits(direction);
        labels[i] = argMax(logits);
        double scale = scaleForLoss(logits, labels[i], targets[i]);
        for (int k = 0; k < IN; k++) {
          flat[i * IN + k] = (float) (scale * direction[k]);
          inputs[i][k] = flat[i * IN + k];
        }
        labelValues[i] = labels[i];
        losses[i] = oracle.loss(inputs[i], labels[i]);
        // Rounding the scaled input to fp32 moves the margin by about 1e-7 of itself: the loss
        // stays close to its target, so the test covers the losses it names.
        assertEquals(1, losses[i] / targets[i], 1e-2, "loss of example " + i);
      }
      long[] ids = new long[n];
      for (int i = 0; i < n; i++) {
        ids[i] = i;
      }
      Examples examples =
          Examples.of(
              "well fit",
              new NDList(manager.create(flat, new Shape(n, IN))),
              manager.create(labelValues),
              ids);
      return new WellFit(examples, inputs, labels, losses);
    }

    /**
     * A random input whose largest logit leads the others by at least half the logits' size: the
     * logits stay within twice the margin, so their fp32 rounding stays small next to it.
     */
    private static double[] withClearMargin(OracleNet oracle, Random random) {
      while (true) {
        double[] x = new double[IN];
        for (int k = 0; k < IN; k++) {
          x[k] = random.nextGaussian();
        }
        double[] z = oracle.logits(x);
        int y = argMax(z);
        double size = 0;
        double margin = Double.POSITIVE_INFINITY;
        for (int k = 0; k < z.length; k++) {
          size = Math.max(size, Math.abs(z[k]));
          if (k != y) {
            margin = Math.min(margin, z[y] - z[k]);
          }
        }
        if (margin > 0.5 * size) {
          return x;
        }
      }
    }

    /** The scale c with {@code L(c z) = target}, by bisection on log c (L falls as c grows). */
    private static double scaleForLoss(double[] logits, int label, double target) {
      double lo = -20;
      double hi = 20;
      for (int iteration = 0; iteration < 200; iteration++) {
        double mid = 0.5 * (lo + hi);
        if (lossAtScale(logits, label, Math.exp(mid)) > target) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      return Math.exp(0.5 * (lo + hi));
    }

    /**
     * {@code log(1 + sum_{k != y} exp(c (z_k - z_y)))}, with log1p so that tiny losses are exact.
     */
    private static double lossAtScale(double[] logits, int label, double c) {
      double s = 0;
      for (int k = 0; k < logits.length; k++) {
        if (k != label) {
          s += Math.exp(c * (logits[k] - logits[label]));
        }
      }
      return Math.log1p(s);
    }

    private static int argMax(double[] z) {
      int best = 0;
      for (int k = 1; k < z.length; k++) {
        if (z[k] > z[best]) {
          best = k;
        }
      }
      return best;
    }
  }
}
