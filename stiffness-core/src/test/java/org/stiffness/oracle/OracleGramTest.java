package org.stiffness.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code K = G_X G_Y^T} and cosines built from the oracle's per-example gradients. */
class OracleGramTest {

  @Test
  void gramOfHandComputedCase() {
    double[][] gx = {{1, 2}, {3, 4}};
    double[][] gy = {{5, 6}, {7, 8}, {1, 0}};
    double[][] k = OracleNet.gram(gx, gy);
    assertArrayEquals(new double[] {17, 23, 1}, k[0], 0.0);
    assertArrayEquals(new double[] {39, 53, 3}, k[1], 0.0);
  }

  @Test
  void gramOfNetworkGradientsMatchesPairwiseLoop() {
    Random rng = new Random(21);
    OracleNet net = OracleNets.cnn(1, 6, 6, 2, 3, 3).randomize(rng);
    double[][] xs = new double[4][36];
    double[][] ys = new double[3][36];
    int[] lx = {0, 1, 2, 0};
    int[] ly = {2, 2, 1};
    for (double[] x : xs) {
      fill(rng, x);
    }
    for (double[] y : ys) {
      fill(rng, y);
    }
    double[][] k = OracleNet.gram(net.perExampleGradients(xs, lx), net.perExampleGradients(ys, ly));
    assertEquals(4, k.length);
    for (int i = 0; i < 4; i++) {
      assertEquals(3, k[i].length);
      double[] gi = net.perExampleGradient(xs[i], lx[i]);
      for (int j = 0; j < 3; j++) {
        double[] gj = net.perExampleGradient(ys[j], ly[j]);
        double expected = 0;
        for (int p = 0; p < net.parameterCount(); p++) {
          expected += gi[p] * gj[p];
        }
        assertEquals(expected, k[i][j], 1e-12 * Math.max(1, Math.abs(expected)));
      }
    }
  }

  @Test
  void selfGramIsSymmetricWithSquaredNormsOnDiagonal() {
    Random rng = new Random(22);
    double[][] g = new double[5][11];
    for (double[] row : g) {
      fill(rng, row);
    }
    double[][] k = OracleNet.gram(g, g);
    for (int i = 0; i < 5; i++) {
      assertEquals(OracleNet.dot(g[i], g[i]), k[i][i], 0.0);
      for (int j = 0; j < 5; j++) {
        assertEquals(k[i][j], k[j][i], 0.0);
      }
    }
  }

  @Test
  void cosineIsScaleInvariantAndBounded() {
    double[] a = {1, -2, 3};
    double[] b = {2, -4, 6};
    double[] c = {-1, 2, -3};
    assertEquals(1.0, OracleNet.cosine(a, b), 1e-15);
    assertEquals(-1.0, OracleNet.cosine(a, c), 1e-15);
    assertEquals(0.0, OracleNet.cosine(new double[] {1, 0}, new double[] {0, 5}), 0.0);
    assertTrue(Double.isNaN(OracleNet.cosine(a, new double[3])));

    Random rng = new Random(23);
    double[][] gx = new double[3][7];
    double[][] gy = new double[4][7];
    for (double[] row : gx) {
      fill(rng, row);
    }
    for (double[] row : gy) {
      fill(rng, row);
    }
    double[][] cos = OracleNet.cosineGram(gx, gy);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(OracleNet.cosine(gx[i], gy[j]), cos[i][j], 1e-15);
        assertTrue(Math.abs(cos[i][j]) <= 1.0);
      }
    }
  }

  @Test
  void batchedGradientsEqualSingleExampleGradients() {
    Random rng = new Random(24);
    OracleNet net = OracleNets.mlp(4, 5, 3, 2).randomize(rng);
    double[][] xs = new double[3][4];
    for (double[] x : xs) {
      fill(rng, x);
    }
    int[] labels = {1, 0, 1};
    double[][] g = net.perExampleGradients(xs, labels);
    double[] losses = net.losses(xs, labels);
    for (int n = 0; n < 3; n++) {
      assertArrayEquals(net.perExampleGradient(xs[n], labels[n]), g[n], 0.0);
      assertEquals(net.loss(xs[n], labels[n]), losses[n], 0.0);
    }
  }

  private static void fill(Random rng, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
  }
}
