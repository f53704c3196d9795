package org.stiffness.oracle;

/**
 * Central finite differences of an {@link OracleNet}'s per-example loss, for checking gradients.
 */
final class FiniteDifferences {
  private FiniteDifferences() {}

  /**
   * {@code (L(theta + h e_i) - L(theta - h e_i)) / 2h} for every parameter i, in layout order. The
   * network's parameters are restored afterwards.
   */
  static double[] centralDifference(OracleNet net, double[] input, int label, double step) {
    double[] theta = net.flatParameters();
    double[] original = theta.clone();
    double[] fd = new double[theta.length];
    try {
      for (int i = 0; i < theta.length; i++) {
        theta[i] = original[i] + step;
        net.setFlatParameters(theta);
        double plus = net.loss(input, label);
        theta[i] = original[i] - step;
        net.setFlatParameters(theta);
        double minus = net.loss(input, label);
        theta[i] = original[i];
        fd[i] = (plus - minus) / (2 * step);
      }
    } finally {
      net.setFlatParameters(original);
    }
    return fd;
  }

  /**
   * Largest {@code |a_i - n_i| / max(|a_i|, |n_i|, floor)}. The floor keeps entries that are (near)
   * zero, e.g. behind a dead ReLU, from dividing rounding noise by zero; it should sit just above
   * the rounding error of the difference quotient, {@code ~ eps * |L| / step}.
   */
  static Mismatch worst(double[] analytic, double[] numeric, double floor) {
    if (analytic.length != numeric.length) {
      throw new IllegalArgumentException("lengths differ");
    }
    Mismatch worst = new Mismatch(-1, 0, 0, 0);
    for (int i = 0; i < analytic.length; i++) {
      double a = analytic[i];
      double n = numeric[i];
      double rel = Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), floor);
      if (rel > worst.relativeError() || worst.index() < 0) {
        worst = new Mismatch(i, a, n, rel);
      }
    }
    return worst;
  }

  /** The worst entry of a comparison, for an assertion message that names the parameter. */
  record Mismatch(int index, double analytic, double numeric, double relativeError) {
    @Override
    public String toString() {
      return "parameter "
          + index
          + ": analytic "
          + analytic
          + " vs finite difference "
          + numeric
          + " (relative error "
          + relativeError
          + ")";
    }
  }
}
