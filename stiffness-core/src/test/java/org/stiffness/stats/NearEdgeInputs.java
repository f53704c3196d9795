package org.stiffness.stats;

import java.util.Random;

/**
 * Inputs whose cosine distances crowd at chosen values: Gaussian base examples, and for each of
 * them rotated copies at a distance within {@code 1e-8 .. 1e-5} (log-uniform, either side) of a
 * target such as a bin edge, in high dimension, where float32 products err by up to about {@code
 * 1e-6}. Built in float64, then rounded to float (which moves a distance by about {@code 1e-7}: the
 * pairs stay within {@code 1e-5} of their target, on either side).
 */
final class NearEdgeInputs {
  private NearEdgeInputs() {}

  /** {@code (n, dim)} Gaussian inputs. */
  static float[] gaussian(int n, int dim, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * dim];
    for (int k = 0; k < x.length; k++) {
      x[k] = (float) r.nextGaussian();
    }
    return x;
  }

  /**
   * {@code (m, dim)} inputs, input j a rotated, rescaled copy of base example {@code j % n} at a
   * distance near {@code targets[(j / n) % targets.length]} (inside [0, 2]).
   */
  static float[] near(float[] base, int n, int dim, double[] targets, int m, long seed) {
    Random r = new Random(seed);
    float[] y = new float[m * dim];
    for (int j = 0; j < m; j++) {
      double[] u = unit(base, j % n, dim);
      double[] z = new double[dim];
      double along = 0;
      for (int k = 0; k < dim; k++) {
        z[k] = r.nextGaussian();
        along += z[k] * u[k];
      }
      double norm = 0;
      for (int k = 0; k < dim; k++) {
        z[k] -= along * u[k];
        norm += z[k] * z[k];
      }
      norm = Math.sqrt(norm);
      double offset = Math.pow(10, -8 + 3 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
      double target = targets[(j / n) % targets.length];
      double d = target + offset;
      if (d < 0 || d > 2) {
        d = target - offset;
      }
      double cos = 1 - d;
      double sin = Math.sqrt(Math.max(0, 1 - cos * cos));
      double scale = 0.5 + 3 * r.nextDouble();
      for (int k = 0; k < dim; k++) {
        y[j * dim + k] = (float) (scale * (cos * u[k] + sin * z[k] / norm));
      }
    }
    return y;
  }

  /** Rows a and then b, as one {@code (na + nb, dim)} array (an X = X pairing holding both). */
  static float[] concat(float[] a, float[] b) {
    float[] out = new float[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static double[] unit(float[] x, int i, int dim) {
    double sq = 0;
    for (int k = 0; k < dim; k++) {
      sq += (double) x[i * dim + k] * x[i * dim + k];
    }
    double inv = 1 / Math.sqrt(sq);
    double[] u = new double[dim];
    for (int k = 0; k < dim; k++) {
      u[k] = x[i * dim + k] * inv;
    }
    return u;
  }
}
