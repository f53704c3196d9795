package org.stiffness.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The oracle's hand-written backward pass agrees with central finite differences of its own forward
 * pass, for every parameter, away from ReLU and max-pool kinks.
 */
class OracleFiniteDifferenceTest {
  /**
   * Central-difference step on float64. Measured: at 1e-6 the rounding error {@code ~eps |L| / STEP
   * ~ 1e-10} already reached relative errors of 8.5e-7 on gradients of size 3e-4; at 1e-5 the worst
   * relative error over all tests is below 1e-7 (truncation {@code O(STEP^2)} is smaller still).
   */
  private static final double STEP = 1e-5;

  private static final double TOLERANCE = 1e-6;

  /**
   * Gradients below this are compared in absolute terms ({@code TOLERANCE * FLOOR = 1e-10}), since
   * entries behind a dead ReLU are exactly 0 analytically and rounding noise numerically.
   */
  private static final double FLOOR = 1e-4;

  /**
   * Activations move by about {@code STEP * |activation|} per perturbation, i.e. ~1e-5 here; a
   * margin of 1e-3 keeps every ReLU input and pool winner on the same side with room to spare.
   */
  private static final double MIN_KINK_MARGIN = 1e-3;

  private static void assertGradientMatchesFiniteDifferences(
      OracleNet net, Random rng, int examples) {
    for (int e = 0; e < examples; e++) {
      double[] x = gaussian(rng, OracleLayer.size(net.inputShape()));
      int label = rng.nextInt(net.numClasses());
      double margin = net.kinkMargin(x);
      // Not an assumption that skips the check: the seeds are fixed, so a failure here means the
      // test data must be re-seeded, never that the gradient may be wrong.
      assertTrue(
          margin > MIN_KINK_MARGIN,
          "example " + e + " lies within " + margin + " of a kink; choose another seed");
      double[] analytic = net.perExampleGradient(x, label);
      double[] numeric = FiniteDifferences.centralDifference(net, x, label, STEP);
      FiniteDifferences.Mismatch worst = FiniteDifferences.worst(analytic, numeric, FLOOR);
      assertTrue(worst.relativeError() < TOLERANCE, "example " + e + ", " + worst);
    }
  }

  private static double[] gaussian(Random rng, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextGaussian();
    }
    return x;
  }

  @Test
  void mlpGradientMatchesFiniteDifferences() {
    Random rng = new Random(11);
    OracleNet net = OracleNets.mlp(7, 6, 5, 4).randomize(rng);
    assertGradientMatchesFiniteDifferences(net, rng, 4);
  }

  @Test
  void paddedCnnGradientMatchesFiniteDifferences() {
    Random rng = new Random(12);
    // 9x7 input: the second pool sees 4x3, so both floor paths of max-pool are exercised.
    OracleNet net = OracleNets.cnn(2, 9, 7, 3, 4, 3).randomize(rng);
    assertGradientMatchesFiniteDifferences(net, rng, 3);
  }

  @Test
  void stridedDilatedUnpaddedConvGradientMatchesFiniteDifferences() {
    Random rng = new Random(13);
    // (12 - 2*(3-1) - 1) / 2 + 1 = 4 (floor of 3.5 + 1): the last input row/column is unused.
    OracleNet net = OracleNets.singleConv(2, 12, 12, 3, 3, 2, 0, 2, 4).randomize(rng);
    assertArrayEquals(new int[] {3, 4, 4}, net.layers().get(0).outputShape());
    assertGradientMatchesFiniteDifferences(net, rng, 3);
  }

  @Test
  void stridedDilatedPaddedRectangularConvGradientMatchesFiniteDifferences() {
    Random rng = new Random(14);
    OracleNet net =
        OracleNet.builder(2, 7, 8)
            .conv2d(3, 2, 3, 2, 1, 2)
            .relu()
            .maxPool2x2()
            .flatten()
            .linear(3)
            .build()
            .randomize(rng);
    assertGradientMatchesFiniteDifferences(net, rng, 3);
  }

  @Test
  void finiteDifferenceCheckRejectsTransposedWeightGradient() {
    // The check must be able to fail: read the (out, in) weight gradient as if it were
    // stored (in, out), the classic layout bug, and expect a large mismatch.
    Random rng = new Random(15);
    OracleNet net = OracleNet.builder(5).linear(3).build().randomize(rng);
    double[] x = gaussian(rng, 5);
    double[] analytic = net.perExampleGradient(x, 1);
    double[] transposed = analytic.clone();
    int out = 3;
    int in = 5;
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        transposed[i * out + o] = analytic[o * in + i];
      }
    }
    double[] numeric = FiniteDifferences.centralDifference(net, x, 1, STEP);
    for (int k = 0; k < out * in; k++) {
      // No ReLU in this net, so every entry dy[o] x[i] is non-zero and the transpose shows.
      assertTrue(Math.abs(analytic[k]) > FLOOR, "weight gradient must be non-trivial");
    }
    assertTrue(FiniteDifferences.worst(analytic, numeric, FLOOR).relativeError() < TOLERANCE);
    assertTrue(FiniteDifferences.worst(transposed, numeric, FLOOR).relativeError() > 1e-2);
  }
}
