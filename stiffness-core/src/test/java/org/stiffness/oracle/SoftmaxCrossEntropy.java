package org.stiffness.oracle;

/**
 * Per-example softmax cross-entropy with an integer label, {@code L = logsumexp(z) - z[y]}, in
 * float64.
 *
 * <p>With {@code m = max(z)} and {@code s = sum_k exp(z_k - m)} (so {@code 1 <= s <= classes}), the
 * loss is evaluated as {@code (m - z[y]) + log(s)}: nothing overflows for logits of magnitude 1000,
 * and the large terms cancel exactly in {@code m - z[y]} before the small {@code log(s)} is added,
 * instead of {@code (m + log s) - z[y]} losing {@code eps * |m|} to rounding.
 */
public final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {}

  private static double max(double[] z) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static double shiftedSum(double[] z, double m) {
    double s = 0.0;
    for (double v : z) {
      s += Math.exp(v - m);
    }
    return s;
  }

  /** {@code log(sum_k exp(z_k))}, computed as {@code m + log(sum_k exp(z_k - m))}. */
  public static double logSumExp(double[] z) {
    double m = max(z);
    return m + Math.log(shiftedSum(z, m));
  }

  /**
   * @param logits {@code (classes)}
   * @param label in {@code [0, classes)}
   * @return {@code logsumexp(z) - z[label]}, in nats
   */
  public static double loss(double[] logits, int label) {
    checkLabel(logits, label);
    double m = max(logits);
    return (m - logits[label]) + Math.log(shiftedSum(logits, m));
  }

  /** {@code dL/dz = softmax(z) - onehot(label)}, shape {@code (classes)}. */
  public static double[] gradient(double[] logits, int label) {
    checkLabel(logits, label);
    double m = max(logits);
    double s = shiftedSum(logits, m);
    double[] g = new double[logits.length];
    for (int k = 0; k < logits.length; k++) {
      g[k] = Math.exp(logits[k] - m) / s;
    }
    g[label] -= 1.0;
    return g;
  }

  private static void checkLabel(double[] logits, int label) {
    if (label < 0 || label >= logits.length) {
      throw new IllegalArgumentException("label " + label + " outside [0, " + logits.length + ")");
    }
  }
}
