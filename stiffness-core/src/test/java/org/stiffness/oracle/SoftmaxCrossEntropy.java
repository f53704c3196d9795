package org.stiffness.oracle;

/**
 * Per-example softmax cross-entropy with an integer label, {@code L = logsumexp(z) - z[y]}, in
 * float64.
 *
 * <p>With {@code m = max(z)} and {@code s = sum_k exp(z_k - m)} (so {@code 1 <= s <= classes}), the
 * loss is evaluated as {@code (m - z[y]) + log(s)}: nothing overflows for logits of magnitude 1000,
 * and the large terms cancel exactly in {@code m - z[y]} before the small {@code log(s)} is added,
 * instead of {@code (m + log s) - z[y]} losing {@code eps * |m|} to rounding. {@code log(s)} is
 * taken as {@code log1p(s - 1)} with {@code s - 1} summed over the non-maximal logits, and {@code
 * dL/dz[y] = -(1 - p_y)} as minus the other probabilities: both would otherwise cancel, and an
 * example fit to a loss of {@code 1e-17} would get loss and gradient 0 instead of their exact
 * values.
 */
public final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {}

  private static int argMax(double[] z) {
    int best = 0;
    for (int k = 1; k < z.length; k++) {
      if (z[k] > z[best]) {
        best = k;
      }
    }
    return best;
  }

  /** {@code sum_{k != skip} exp(z_k - m)}. */
  private static double shiftedSumWithout(double[] z, double m, int skip) {
    double s = 0.0;
    for (int k = 0; k < z.length; k++) {
      if (k != skip) {
        s += Math.exp(z[k] - m);
      }
    }
    return s;
  }

  /** {@code log(sum_k exp(z_k))}, as {@code m + log1p(sum_{k != argmax} exp(z_k - m))}. */
  public static double logSumExp(double[] z) {
    int a = argMax(z);
    return z[a] + Math.log1p(shiftedSumWithout(z, z[a], a));
  }

  /**
   * @param logits {@code (classes)}
   * @param label in {@code [0, classes)}
   * @return {@code logsumexp(z) - z[label]}, in nats
   */
  public static double loss(double[] logits, int label) {
    checkLabel(logits, label);
    int a = argMax(logits);
    return (logits[a] - logits[label]) + Math.log1p(shiftedSumWithout(logits, logits[a], a));
  }

  /** {@code dL/dz = softmax(z) - onehot(label)}, shape {@code (classes)}. */
  public static double[] gradient(double[] logits, int label) {
    checkLabel(logits, label);
    double m = logits[argMax(logits)];
    double others = shiftedSumWithout(logits, m, label);
    double s = others + Math.exp(logits[label] - m);
    double[] g = new double[logits.length];
    for (int k = 0; k < logits.length; k++) {
      g[k] = Math.exp(logits[k] - m) / s;
    }
    g[label] = -others / s;
    return g;
  }

  private static void checkLabel(double[] logits, int label) {
    if (label < 0 || label >= logits.length) {
      throw new IllegalArgumentException("label " + label + " outside [0, " + logits.length + ")");
    }
  }
}
