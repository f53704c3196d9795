package org.stiffness.stats;

import java.util.Random;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramSide;

/**
 * A pool of synthetic examples with float64 "gradients", labels and inputs; example sets X and Y
 * are index lists into the pool, and an example's id is its pool index, so overlap between X and Y
 * is real shared identity. The Gram matrices carry these ids and labels.
 */
public final class Pool {
  public final double[][] grads;
  public final int[] labels;
  final float[][] inputs;

  public Pool(long seed, int size, int gradDim, int inputDim, int numClasses) {
    Random r = new Random(seed);
    grads = new double[size][gradDim];
    inputs = new float[size][inputDim];
    labels = new int[size];
    for (int e = 0; e < size; e++) {
      labels[e] = r.nextInt(numClasses);
      for (int k = 0; k < gradDim; k++) {
        grads[e][k] = r.nextGaussian();
      }
      for (int k = 0; k < inputDim; k++) {
        inputs[e][k] = (float) r.nextGaussian();
      }
    }
  }

  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  /** Gram matrix of X x Y with a zero error bound, built as G_X G_Y^T in float64. */
  GramMatrix gram(int[] x, int[] y) {
    return gram(x, y, 0);
  }

  /** Gram matrix with error bound {@code relativeError * |g_i| * |g_j|}. */
  public GramMatrix gram(int[] x, int[] y, double relativeError) {
    float[] k = new float[x.length * y.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        k[i * y.length + j] = (float) dot(grads[x[i]], grads[y[j]]);
      }
    }
    double[] rn = new double[x.length];
    double[] rs = new double[x.length];
    double[] cn = new double[y.length];
    double[] cs = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      rn[i] = dot(grads[x[i]], grads[x[i]]);
      rs[i] = Math.sqrt(rn[i]);
    }
    for (int j = 0; j < y.length; j++) {
      cn[j] = dot(grads[y[j]], grads[y[j]]);
      cs[j] = Math.sqrt(cn[j]);
    }
    return new GramMatrix(side(x), side(y), k, rn, cn, rs, cs, relativeError);
  }

  /** The examples of a set: pool indices as ids, pool labels. */
  public GramSide side(int[] set) {
    return new GramSide(ids(set), labels(set));
  }

  public static long[] ids(int[] set) {
    long[] ids = new long[set.length];
    for (int i = 0; i < set.length; i++) {
      ids[i] = set[i];
    }
    return ids;
  }

  public int[] labels(int[] set) {
    int[] out = new int[set.length];
    for (int i = 0; i < set.length; i++) {
      out[i] = labels[set[i]];
    }
    return out;
  }

  public float[] flatInputs(int[] set) {
    int d = inputs[0].length;
    float[] out = new float[set.length * d];
    for (int i = 0; i < set.length; i++) {
      System.arraycopy(inputs[set[i]], 0, out, i * d, d);
    }
    return out;
  }

  /** Oracle cosine stiffness in float64 straight from the gradients. */
  double cosine(int a, int b) {
    return dot(grads[a], grads[b]) / Math.sqrt(dot(grads[a], grads[a]) * dot(grads[b], grads[b]));
  }

  /** Oracle cosine input distance in float64 straight from the inputs. */
  double distance(int a, int b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int k = 0; k < inputs[a].length; k++) {
      ab += (double) inputs[a][k] * inputs[b][k];
      aa += (double) inputs[a][k] * inputs[a][k];
      bb += (double) inputs[b][k] * inputs[b][k];
    }
    return 1 - ab / Math.sqrt(aa * bb);
  }

  public static int[] range(int from, int to) {
    int[] out = new int[to - from];
    for (int k = 0; k < out.length; k++) {
      out[k] = from + k;
    }
    return out;
  }
}
