package org.stiffness.testing;

/** Comparisons of computed matrices with float64 references. */
public final class Matrices {
  private Matrices() {}

  /** {@code ||computed - reference||_F / ||reference||_F} for row-major computed values. */
  public static double relativeError(float[] computed, double[][] reference) {
    double diff = 0;
    double norm = 0;
    int cols = reference[0].length;
    for (int i = 0; i < reference.length; i++) {
      for (int j = 0; j < cols; j++) {
        double d = computed[i * cols + j] - reference[i][j];
        diff += d * d;
        norm += reference[i][j] * reference[i][j];
      }
    }
    return Math.sqrt(diff / norm);
  }

  /** Largest entry-wise error relative to the largest reference entry. */
  public static double maxRelativeError(float[] computed, double[][] reference) {
    double worst = 0;
    double scale = 0;
    int cols = reference[0].length;
    for (int i = 0; i < reference.length; i++) {
      for (int j = 0; j < cols; j++) {
        worst = Math.max(worst, Math.abs(computed[i * cols + j] - reference[i][j]));
        scale = Math.max(scale, Math.abs(reference[i][j]));
      }
    }
    return worst / scale;
  }
}
