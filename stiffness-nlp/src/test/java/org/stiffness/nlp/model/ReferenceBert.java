package org.stiffness.nlp.model;

import java.util.Map;

/**
 * BERT's forward pass in plain Java doubles, written from the definition (Devlin et al. 2019;
 * HuggingFace's BertForSequenceClassification in evaluation mode) and independent of DJL: the
 * oracle for the architecture. It sees only the real tokens of an example, so it also stands for
 * "padding changes nothing".
 */
final class ReferenceBert {
  private final BertConfig config;
  private final Map<String, float[]> weights;

  /**
   * @param weights every parameter by HuggingFace name, row-major, Linear weights (out, in)
   */
  ReferenceBert(BertConfig config, Map<String, float[]> weights) {
    this.config = config;
    this.weights = weights;
  }

  /** Logits of one example given by its real tokens only. */
  double[] logits(long[] ids, long[] types) {
    int t = ids.length;
    int d = config.hidden();
    double[][] h = new double[t][d];
    for (int s = 0; s < t; s++) {
      for (int c = 0; c < d; c++) {
        h[s][c] =
            w("bert.embeddings.word_embeddings.weight")[(int) ids[s] * d + c]
                + w("bert.embeddings.position_embeddings.weight")[s * d + c]
                + w("bert.embeddings.token_type_embeddings.weight")[(int) types[s] * d + c];
      }
      h[s] = layerNorm(h[s], "bert.embeddings.LayerNorm.");
    }
    for (int l = 0; l < config.layers(); l++) {
      h = layer(h, "bert.encoder.layer." + l + ".");
    }
    double[] pooled = linear(h[0], "bert.pooler.dense.");
    for (int c = 0; c < pooled.length; c++) {
      pooled[c] = Math.tanh(pooled[c]);
    }
    return linear(pooled, "classifier.");
  }

  private double[][] layer(double[][] x, String prefix) {
    int t = x.length;
    int heads = config.heads();
    int size = config.headSize();
    double[][] q = new double[t][];
    double[][] k = new double[t][];
    double[][] v = new double[t][];
    for (int s = 0; s < t; s++) {
      q[s] = linear(x[s], prefix + "attention.self.query.");
      k[s] = linear(x[s], prefix + "attention.self.key.");
      v[s] = linear(x[s], prefix + "attention.self.value.");
    }
    double[][] out = new double[t][];
    for (int s = 0; s < t; s++) {
      double[] context = new double[config.hidden()];
      for (int head = 0; head < heads; head++) {
        int offset = head * size;
        double[] scores = new double[t];
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < t; r++) {
          double dot = 0;
          for (int c = 0; c < size; c++) {
            dot += q[s][offset + c] * k[r][offset + c];
          }
          scores[r] = dot / Math.sqrt(size);
          max = Math.max(max, scores[r]);
        }
        double total = 0;
        for (int r = 0; r < t; r++) {
          scores[r] = Math.exp(scores[r] - max);
          total += scores[r];
        }
        for (int r = 0; r < t; r++) {
          for (int c = 0; c < size; c++) {
            context[offset + c] += scores[r] / total * v[r][offset + c];
          }
        }
      }
      double[] attended = add(linear(context, prefix + "attention.output.dense."), x[s]);
      double[] a = layerNorm(attended, prefix + "attention.output.LayerNorm.");
      double[] inner = linear(a, prefix + "intermediate.dense.");
      for (int c = 0; c < inner.length; c++) {
        inner[c] = gelu(inner[c]);
      }
      out[s] =
          layerNorm(add(linear(inner, prefix + "output.dense."), a), prefix + "output.LayerNorm.");
    }
    return out;
  }

  private double[] linear(double[] x, String prefix) {
    float[] weight = w(prefix + "weight");
    float[] bias = w(prefix + "bias");
    double[] y = new double[bias.length];
    for (int o = 0; o < y.length; o++) {
      double sum = bias[o];
      for (int i = 0; i < x.length; i++) {
        sum += weight[o * x.length + i] * x[i];
      }
      y[o] = sum;
    }
    return y;
  }

  private double[] layerNorm(double[] x, String prefix) {
    double mean = 0;
    for (double value : x) {
      mean += value / x.length;
    }
    double variance = 0;
    for (double value : x) {
      variance += (value - mean) * (value - mean) / x.length;
    }
    double scale = 1 / Math.sqrt(variance + config.layerNormEps());
    float[] gamma = w(prefix + "weight");
    float[] beta = w(prefix + "bias");
    double[] y = new double[x.length];
    for (int c = 0; c < x.length; c++) {
      y[c] = (x[c] - mean) * scale * gamma[c] + beta[c];
    }
    return y;
  }

  private static double[] add(double[] a, double[] b) {
    double[] sum = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      sum[i] = a[i] + b[i];
    }
    return sum;
  }

  /** BERT's GELU, {@code x Phi(x) = x (1 + erf(x / sqrt 2)) / 2}, not the tanh approximation. */
  static double gelu(double x) {
    return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
  }

  /**
   * erf to about 1e-13: the Maclaurin series below |x| = 3 (largest term about 1e3, so rounding
   * costs at most 1e-13), and above it {@code 1 - erfc} with erfc from its continued fraction
   * {@code e^-x^2 / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...))))}, evaluated from a
   * depth of 200 upwards.
   */
  static double erf(double x) {
    double z = Math.abs(x);
    if (z >= 3) {
      double fraction = z;
      for (int k = 200; k >= 1; k--) {
        fraction = z + (k / 2.0) / fraction;
      }
      double erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / fraction;
      return Math.signum(x) * (1 - erfc);
    }
    double term = x;
    double sum = x;
    for (int n = 1; n < 200; n++) {
      term *= -x * x / n;
      double next = term / (2 * n + 1);
      sum += next;
      if (Math.abs(next) < 1e-17 * Math.abs(sum)) {
        break;
      }
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  private float[] w(String name) {
    float[] values = weights.get(name);
    if (values == null) {
      throw new IllegalStateException("reference model has no parameter " + name);
    }
    return values;
  }
}
