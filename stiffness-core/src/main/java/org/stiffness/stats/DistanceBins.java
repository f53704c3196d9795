package org.stiffness.stats;

import java.util.Arrays;
import java.util.Objects;

/**
 * Bins of input distance, given by strictly increasing edges {@code e_0 < ... < e_B}. Bin k is
 * {@code [e_k, e_{k+1})}; the last bin also holds {@code e_B}, so {@code d = 2} is binned by the
 * default bins. Distances outside {@code [e_0, e_B]} fall in no bin.
 */
public final class DistanceBins {
  /** Number of bins of {@link #defaults()}. */
  public static final int DEFAULT_COUNT = 20;

  private final double[] edges;
  // Set for uniform bins: index by arithmetic instead of binary search (hot loop over N^2 pairs).
  private final boolean uniform;
  private final double inverseWidth;

  private DistanceBins(double[] edges, boolean uniform) {
    this.edges = edges;
    this.uniform = uniform;
    this.inverseWidth = (edges.length - 1) / (edges[edges.length - 1] - edges[0]);
  }

  /** 20 equal bins over the whole cosine-distance range {@code [0, 2]}. */
  public static DistanceBins defaults() {
    return uniform(DEFAULT_COUNT, 0, 2);
  }

  /** {@code count} equal bins over {@code [lo, hi]}. */
  public static DistanceBins uniform(int count, double lo, double hi) {
    if (count < 1 || !(lo < hi)) {
      throw new IllegalArgumentException(
          "need count >= 1 and lo < hi; got count=" + count + ", lo=" + lo + ", hi=" + hi);
    }
    double[] e = new double[count + 1];
    for (int k = 0; k <= count; k++) {
      e[k] = lo + (hi - lo) * k / count; // not lo + k*step: keeps e[count] == hi exactly
    }
    return new DistanceBins(checked(e), true);
  }

  /**
   * Bins with the given edges (at least two, finite, strictly increasing; copied). Edges that are
   * exactly those of {@link #uniform} (as read back from a summary or a saved checkpoint) get its
   * arithmetic indexing: the same bins, found without a binary search per pair.
   */
  public static DistanceBins of(double... edges) {
    double[] e = checked(Objects.requireNonNull(edges, "edges").clone());
    return new DistanceBins(e, isUniform(e));
  }

  private static boolean isUniform(double[] e) {
    int count = e.length - 1;
    double lo = e[0];
    double hi = e[count];
    for (int k = 0; k <= count; k++) {
      if (e[k] != lo + (hi - lo) * k / count) {
        return false;
      }
    }
    return true;
  }

  private static double[] checked(double[] edges) {
    if (edges.length < 2) {
      throw new IllegalArgumentException("need at least 2 edges, got " + edges.length);
    }
    for (int k = 0; k < edges.length; k++) {
      if (!Double.isFinite(edges[k]) || (k > 0 && !(edges[k] > edges[k - 1]))) {
        throw new IllegalArgumentException(
            "edges must be finite and strictly increasing: " + Arrays.toString(edges));
      }
    }
    return edges;
  }

  /**
   * Whether the edges are those of {@link #uniform} (bin k is then found by arithmetic, with the
   * stored edges deciding the pairs that land on one).
   */
  public boolean isUniform() {
    return uniform;
  }

  /** Number of bins. */
  public int count() {
    return edges.length - 1;
  }

  /** Lower edge of bin k. */
  public double lo(int k) {
    return edges[k];
  }

  /** Upper edge of bin k. */
  public double hi(int k) {
    return edges[k + 1];
  }

  /** All edges (copy), length {@code count() + 1}. */
  public double[] edges() {
    return edges.clone();
  }

  /** Index of the bin holding distance d, or -1 if d is outside {@code [e_0, e_B]}. */
  public int indexOf(double d) {
    int last = edges.length - 1;
    if (!(d >= edges[0] && d <= edges[last])) {
      return -1;
    }
    if (d == edges[last]) {
      return last - 1;
    }
    if (uniform) {
      int k = Math.min(last - 1, (int) ((d - edges[0]) * inverseWidth));
      // The product can round across an edge; the stored edges are the definition, so correct.
      if (d < edges[k]) {
        k--;
      } else if (d >= edges[k + 1]) {
        k++;
      }
      return k;
    }
    int p = Arrays.binarySearch(edges, d);
    // Exact edge hit p: bin p. Otherwise p = -(insertion point) - 1, bin = insertion point - 1.
    return p >= 0 ? p : -p - 2;
  }
}
