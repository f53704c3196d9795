package org.stiffness.stats;

/**
 * Mean stiffness per input-distance bin for one selection of pairs (one curve of the paper's
 * "stiffness vs distance" figure). A bin without pairs has {@link #pairs(int)} 0 and NaN means,
 * which {@code org.stiffness.io.JsonSummary} writes as {@code null}.
 */
public final class BinnedStiffness {
  private final DistanceBins bins;
  private final long[] pairs;
  private final double[] meanSign;
  private final double[] meanCosine;

  BinnedStiffness(DistanceBins bins, long[] pairs, long[] signSums, double[] cosSums) {
    this.bins = bins;
    this.pairs = pairs;
    this.meanSign = new double[pairs.length];
    this.meanCosine = new double[pairs.length];
    for (int k = 0; k < pairs.length; k++) {
      meanSign[k] = pairs[k] == 0 ? Double.NaN : (double) signSums[k] / pairs[k];
      meanCosine[k] = pairs[k] == 0 ? Double.NaN : cosSums[k] / pairs[k];
    }
  }

  /** Number of bins. */
  public int binCount() {
    return pairs.length;
  }

  /** Lower edge of bin k (cosine distance, dimensionless). */
  public double lo(int k) {
    return bins.lo(k);
  }

  /** Upper edge of bin k. */
  public double hi(int k) {
    return bins.hi(k);
  }

  /** Number of pairs in bin k. */
  public long pairs(int k) {
    return pairs[k];
  }

  /** Mean sign stiffness in bin k, or NaN if empty. */
  public double meanSign(int k) {
    return meanSign[k];
  }

  /** Mean cosine stiffness in bin k, or NaN if empty. */
  public double meanCosine(int k) {
    return meanCosine[k];
  }

  /** Mean of the given measure in bin k, or NaN if empty. */
  public double mean(StiffnessMeasure measure, int k) {
    return measure == StiffnessMeasure.SIGN ? meanSign[k] : meanCosine[k];
  }
}
