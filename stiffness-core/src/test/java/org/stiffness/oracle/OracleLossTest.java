package org.stiffness.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Softmax cross-entropy {@code L = logsumexp(z) - z[y]}: values, stability and gradient. */
class OracleLossTest {

  @Test
  void matchesTextbookFormulaForModerateLogits() {
    double[] z = {0.3, -1.2, 2.0};
    double naive = Math.log(Math.exp(0.3) + Math.exp(-1.2) + Math.exp(2.0)) - (-1.2);
    assertEquals(naive, SoftmaxCrossEntropy.loss(z, 1), 1e-15);
  }

  @Test
  void largeLogitsGiveFiniteExactLoss() {
    // exp(1000) overflows, so the naive formula gives Inf - 1000 = Inf or NaN; the shifted one
    // is exact here because exp(-1000) and exp(-2000) vanish next to 1.
    double[] z = {1000, 0, -1000};
    assertEquals(0.0, SoftmaxCrossEntropy.loss(z, 0), 0.0);
    assertEquals(1000.0, SoftmaxCrossEntropy.loss(z, 1), 0.0);
    assertEquals(2000.0, SoftmaxCrossEntropy.loss(z, 2), 0.0);
    assertEquals(Math.log(2), SoftmaxCrossEntropy.loss(new double[] {1000, 1000}, 1), 1e-15);
    assertEquals(Math.log(2), SoftmaxCrossEntropy.loss(new double[] {-1000, -1000}, 0), 1e-15);
  }

  @Test
  void gradientIsSoftmaxMinusOneHotEvenForLargeLogits() {
    assertArrayEquals(
        new double[] {0.5, -0.5},
        SoftmaxCrossEntropy.gradient(new double[] {1000, 1000}, 1),
        1e-15);
    assertArrayEquals(
        new double[] {-1, 0, 1},
        SoftmaxCrossEntropy.gradient(new double[] {-1000, 0, 1000}, 0),
        0.0);
  }

  @Test
  void wellFitExampleKeepsItsTinyLossAndGradient() {
    // z = (40, 0), label 0: L = log(1 + e^-40) and dL/dz = (-1, 1) e^-40 / (1 + e^-40), both
    // e^-40 = 4.2e-18 to float64 precision (the next terms are e^-80); 1 - p_0 formed by
    // cancellation would give 0 for both.
    double tiny = Math.exp(-40);
    double[] z = {40, 0};
    assertEquals(tiny, SoftmaxCrossEntropy.loss(z, 0), 1e-15 * tiny);
    assertArrayEquals(new double[] {-tiny, tiny}, SoftmaxCrossEntropy.gradient(z, 0), 1e-15 * tiny);
  }

  @Test
  void gradientSumsToZeroAndMatchesFiniteDifferences() {
    double[] z = {0.7, -0.4, 1.9, 0.1};
    int label = 2;
    double[] g = SoftmaxCrossEntropy.gradient(z, label);
    double sum = 0;
    for (int k = 0; k < z.length; k++) {
      sum += g[k];
      double h = 1e-5;
      double[] plus = z.clone();
      double[] minus = z.clone();
      plus[k] += h;
      minus[k] -= h;
      double fd =
          (SoftmaxCrossEntropy.loss(plus, label) - SoftmaxCrossEntropy.loss(minus, label))
              / (2 * h);
      assertEquals(fd, g[k], 1e-9, "logit " + k);
    }
    assertEquals(0.0, sum, 1e-15);
  }

  @Test
  void networkWithHugeLogitsHasFiniteLossAndGradient() {
    OracleNet net = OracleNet.builder(2).linear(3).build();
    net.setParameter(0, new float[] {500, 0, 0, 500, -500, -500});
    // x = (2, 0): logits (1000, 0, -1000); label 2 is wrong by 2000 nats.
    double[] x = {2, 0};
    assertArrayEquals(new double[] {1000, 0, -1000}, net.logits(x), 0.0);
    assertEquals(2000.0, net.loss(x, 2), 0.0);
    for (double v : net.perExampleGradient(x, 2)) {
      assertTrue(Double.isFinite(v));
    }
  }

  @Test
  void rejectsLabelOutsideClasses() {
    assertThrows(
        IllegalArgumentException.class, () -> SoftmaxCrossEntropy.loss(new double[] {1, 2}, 2));
    assertThrows(
        IllegalArgumentException.class, () -> SoftmaxCrossEntropy.loss(new double[] {1, 2}, -1));
  }
}
