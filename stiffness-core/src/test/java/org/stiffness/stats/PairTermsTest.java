package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The array forms of {@link PairTerms}, which the tile reducer computes, against its scalar forms,
 * which the whole-matrix classes compute (and which {@link DistanceBins#indexOf} defines for bins):
 * element for element, bitwise, on random values and on the values where the two could part (bin
 * edges and their float neighbours, entries beyond the norms' product, zeros of both signs).
 */
class PairTermsTest {
  private static final int N = 64;
  private static final int W = 97;

  @Test
  void arrayCosinesAreTheScalarOnesBitwise() {
    Random r = new Random(1);
    float[] k = new float[N * W];
    double[] rowInv = new double[N];
    double[] colInv = new double[W];
    for (int i = 0; i < N; i++) {
      rowInv[i] = i % 9 == 0 ? 0 : 1 / (0.1 + 3 * r.nextDouble());
    }
    for (int j = 0; j < W; j++) {
      colInv[j] = 1 / (0.1 + 3 * r.nextDouble());
    }
    for (int p = 0; p < k.length; p++) {
      int i = p / W;
      int j = p % W;
      double product = rowInv[i] == 0 ? 1 : 1 / (rowInv[i] * colInv[j]);
      // Mostly inside, some a few ulps beyond |g_i| |g_j| (rounding can put them there).
      double scale = p % 13 == 0 ? 1 + 1e-7 * r.nextInt(5) : r.nextDouble();
      k[p] = (float) ((r.nextBoolean() ? 1 : -1) * scale * product);
      if (p % 101 == 0) {
        k[p] = p % 2 == 0 ? 0f : -0f;
      }
    }
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray entries = m.create(k, new Shape(N, W));
      NDArray scaled =
          PairTerms.scaledEntries(
              entries, m.create(rowInv, new Shape(N, 1)), m.create(colInv, new Shape(1, W)));
      float[] got = PairTerms.cosine(scaled, m.create(1f), m.create(-1f)).toFloatArray();
      int clamped = 0;
      for (int p = 0; p < k.length; p++) {
        float expected = PairTerms.cosine(k[p], rowInv[p / W], colInv[p % W]);
        assertEquals(
            Float.floatToRawIntBits(expected),
            Float.floatToRawIntBits(got[p]),
            "pair " + p + ": " + expected + " vs " + got[p]);
        clamped += Math.abs(expected) == 1 ? 1 : 0;
      }
      assertEquals(true, clamped > 0, "some cosines were clamped");
    }
  }

  @Test
  void arraySignsAndUncertainSignsAreTheScalarOnes() {
    Random r = new Random(2);
    float[] k = new float[N * W];
    double[] rowBound = new double[N];
    double[] colScale = new double[W];
    for (int i = 0; i < N; i++) {
      rowBound[i] = i % 11 == 0 ? Double.NaN : PairTerms.rowBound(1e-3, r.nextDouble());
    }
    for (int j = 0; j < W; j++) {
      colScale[j] = j % 17 == 0 ? Double.NaN : r.nextDouble();
    }
    for (int p = 0; p < k.length; p++) {
      k[p] = p % 7 == 0 ? 0f : (float) (r.nextGaussian() * 1e-3);
    }
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray entries = m.create(k, new Shape(N, W));
      float[] signs = PairTerms.sign(entries).toFloatArray();
      boolean[] uncertain =
          PairTerms.uncertainSign(
                  entries.abs(),
                  PairTerms.errorBounds(
                      m.create(rowBound, new Shape(N, 1)), m.create(colScale, new Shape(1, W))))
              .toBooleanArray();
      int flagged = 0;
      for (int p = 0; p < k.length; p++) {
        assertEquals(PairTerms.sign(k[p]), (int) signs[p], "sign of pair " + p);
        boolean expected = PairTerms.uncertainSign(k[p], rowBound[p / W], colScale[p % W]);
        assertEquals(expected, uncertain[p], "uncertain sign of pair " + p);
        flagged += expected ? 1 : 0;
      }
      assertEquals(true, flagged > 0 && flagged < k.length, flagged + " flagged");
    }
  }

  @Test
  void arrayBinIndicesAreIndexOfForUniformAndUnevenBins() {
    for (DistanceBins bins :
        new DistanceBins[] {
          DistanceBins.defaults(),
          DistanceBins.uniform(7, 0.3, 1.7),
          DistanceBins.of(0.2, 0.5, 0.55, 1.0, 1.7)
        }) {
      float[] d = distancesAround(bins, new Random(3));
      try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
        float[] got = PairTerms.binIndex(m.create(d), bins, constants(m, bins)).toFloatArray();
        for (int p = 0; p < d.length; p++) {
          int expected = bins.indexOf(d[p]);
          assertEquals(
              expected < 0 ? bins.count() : expected, (int) got[p], "d = " + d[p] + " in " + bins);
        }
      }
    }
  }

  @Test
  void arrayWindowMembershipIsTheScalarOne() {
    float[] d = distancesAround(DistanceBins.of(0.3, 1.4), new Random(4));
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      boolean[] got =
          PairTerms.fitted(
                  m.create(d).toType(DataType.FLOAT64, false), m.create(0.3), m.create(1.4))
              .toBooleanArray();
      for (int p = 0; p < d.length; p++) {
        assertEquals(PairTerms.fitted(d[p], 0.3, 1.4), got[p], "d = " + d[p]);
      }
    }
  }

  /**
   * Random distances in [0, 2] and, for every edge, the float nearest it and its two float
   * neighbours (where float and double comparisons with the edge could part), and 0, 2 and values
   * just outside.
   */
  private static float[] distancesAround(DistanceBins bins, Random r) {
    double[] edges = bins.edges();
    float[] d = new float[2000 + 3 * edges.length + 4];
    int at = 0;
    for (double e : edges) {
      float f = (float) e;
      d[at++] = f;
      d[at++] = Math.nextDown(f);
      d[at++] = Math.nextUp(f);
    }
    d[at++] = 0f;
    d[at++] = 2f;
    d[at++] = Math.nextDown((float) edges[0]);
    d[at++] = Math.nextUp((float) edges[edges.length - 1]);
    while (at < d.length) {
      d[at++] = 2 * r.nextFloat();
    }
    return d;
  }

  private static PairTerms.BinConstants constants(NDManager m, DistanceBins bins) {
    int nb = bins.count();
    double[] e = bins.edges();
    float[] lower = new float[nb];
    float[] upper = new float[nb];
    for (int k = 0; k < nb; k++) {
      lower[k] = PairTerms.floatAtOrAbove(e[k]);
      upper[k] = k == nb - 1 ? Float.POSITIVE_INFINITY : PairTerms.floatAtOrAbove(e[k + 1]);
    }
    return new PairTerms.BinConstants(
        m.create(lower),
        m.create(upper),
        m.create(PairTerms.floatAtOrAbove(e[0])),
        m.create(PairTerms.floatAtOrBelow(e[nb])),
        m.create((float) (nb / (e[nb] - e[0]))),
        m.create(0f),
        m.create((float) nb - 1),
        m.create((float) nb));
  }
}
