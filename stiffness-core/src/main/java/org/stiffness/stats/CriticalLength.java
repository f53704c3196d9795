package org.stiffness.stats;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import org.stiffness.stats.internal.Checks;

/**
 * The dynamical critical length {@code xi}: the input distance at which within-class stiffness
 * crosses zero on average (paper, "Dynamical critical length").
 *
 * <p><b>Fit.</b> Ordinary least squares of per-pair stiffness {@code y} (cosine by default, or
 * sign) on input distance {@code d}, {@code y = y0 + slope * d}, over every within-class pair (same
 * label, both examples with non-zero gradients, not a self-pair) whose distance lies in the window
 * {@code [windowLo, windowHi]} (default {@code [0, 2]}: all within-class pairs). Each pair has
 * equal weight; no binning is involved, so the estimate does not depend on a bin choice. Then
 * {@code xi = -y0 / slope}.
 *
 * <p><b>No crossing.</b> Reported explicitly, never as NaN: too few pairs (fewer than {@code
 * minPairs}, fewer than 2 contributing row examples, or all at one distance); a slope {@code >= 0}
 * (stiffness does not decay); a crossing outside {@code [min d, max d]} of the fitted pairs (an
 * extrapolation the data cannot support); or a bootstrap interval that is unbounded because too
 * many resamples have no decay.
 *
 * <p><b>Uncertainty.</b> Percentile bootstrap over row examples: pairs sharing an example are not
 * independent, so whole rows (all their fitted pairs) are resampled with replacement from the rows
 * that contribute pairs. Each row is reduced once to sufficient statistics (count, means, centred
 * second moments), so a resample costs O(rows), not O(pairs). Resamples with {@code slope >= 0}
 * count as {@code xi = +infinity}; if that reaches an interval endpoint the result is {@link
 * Reason#INTERVAL_UNBOUNDED}. The random stream is {@link SplittableRandom} seeded by {@link
 * Config#seed()}, so results are reproducible.
 */
public final class CriticalLength {
  private CriticalLength() {}

  /**
   * Settings of the estimate.
   *
   * @param measure per-pair stiffness to fit
   * @param windowLo lowest input distance fitted (inclusive)
   * @param windowHi highest input distance fitted (inclusive)
   * @param resamples number of bootstrap resamples B
   * @param confidence two-sided coverage of the interval, in (0, 1)
   * @param seed seed of the bootstrap random stream
   * @param minPairs fewest pairs for which a fit is attempted
   */
  public record Config(
      StiffnessMeasure measure,
      double windowLo,
      double windowHi,
      int resamples,
      double confidence,
      long seed,
      long minPairs) {
    /**
     * @throws IllegalArgumentException for an empty window, no resamples or a confidence outside
     *     (0, 1)
     */
    public Config {
      Objects.requireNonNull(measure, "measure");
      if (!(windowLo < windowHi) || !Double.isFinite(windowLo) || !Double.isFinite(windowHi)) {
        throw new IllegalArgumentException("window [" + windowLo + ", " + windowHi + "] is empty");
      }
      if (resamples < 1 || !(confidence > 0 && confidence < 1) || minPairs < 2) {
        throw new IllegalArgumentException(
            "need resamples >= 1, 0 < confidence < 1, minPairs >= 2; got "
                + resamples
                + ", "
                + confidence
                + ", "
                + minPairs);
      }
    }

    /** Cosine stiffness, window [0, 2], B = 200, 95 %, seed 0, at least 10 pairs. */
    public static Config defaults() {
      return new Config(StiffnessMeasure.COSINE, 0, 2, 200, 0.95, 0, 10);
    }

    /** This configuration fitting another stiffness measure. */
    public Config withMeasure(StiffnessMeasure m) {
      return new Config(m, windowLo, windowHi, resamples, confidence, seed, minPairs);
    }

    /** This configuration fitting only pairs at input distances in {@code [lo, hi]}. */
    public Config withWindow(double lo, double hi) {
      return new Config(measure, lo, hi, resamples, confidence, seed, minPairs);
    }

    /** This configuration with {@code b} bootstrap resamples of the rows. */
    public Config withResamples(int b) {
      return new Config(measure, windowLo, windowHi, b, confidence, seed, minPairs);
    }

    /** This configuration with another confidence level of the interval. */
    public Config withConfidence(double c) {
      return new Config(measure, windowLo, windowHi, resamples, c, seed, minPairs);
    }

    /** This configuration with another bootstrap seed. */
    public Config withSeed(long s) {
      return new Config(measure, windowLo, windowHi, resamples, confidence, s, minPairs);
    }

    /** This configuration needing at least {@code n} pairs in the window. */
    public Config withMinPairs(long n) {
      return new Config(measure, windowLo, windowHi, resamples, confidence, seed, n);
    }
  }

  /** Why no critical length is reported. */
  public enum Reason {
    /** Fewer pairs in the window than the configuration needs. */
    TOO_FEW_PAIRS,
    /** Stiffness does not fall with distance in the window: no crossing of zero. */
    NON_NEGATIVE_SLOPE,
    /** The fitted line crosses zero outside the distances measured (no extrapolation). */
    CROSSING_OUTSIDE_RANGE,
    /** Too many bootstrap resamples have no crossing for a bounded interval. */
    INTERVAL_UNBOUNDED
  }

  /** Outcome: an {@link Estimate} or an explicit {@link NoCrossing}. */
  public sealed interface Result permits Estimate, NoCrossing {}

  /**
   * A zero crossing inside the observed distance range.
   *
   * @param xi critical length (cosine input distance, dimensionless)
   * @param low lower end of the bootstrap percentile interval
   * @param high upper end of the bootstrap percentile interval
   * @param confidence coverage of [low, high]
   * @param resamples B
   * @param slope fitted slope (stiffness per unit distance), negative
   * @param intercept fitted stiffness at distance 0
   * @param pairs number of pairs fitted
   * @param examples number of row examples contributing pairs
   * @param minDistance smallest fitted distance
   * @param maxDistance largest fitted distance
   */
  public record Estimate(
      double xi,
      double low,
      double high,
      double confidence,
      int resamples,
      double slope,
      double intercept,
      long pairs,
      int examples,
      double minDistance,
      double maxDistance)
      implements Result {}

  /**
   * No crossing could be reported.
   *
   * @param reason the failing condition
   * @param detail human-readable numbers behind the reason
   * @param pairs number of pairs in the window
   */
  public record NoCrossing(Reason reason, String detail, long pairs) implements Result {}

  /**
   * Estimates xi from all valid non-self pairs, whatever their classes: the same fit, window and
   * bootstrap as {@link #estimate}, with every pair counted as "within".
   *
   * <p>Why offer it: the paper defines xi on within-class pairs, but on easy data (the built-in
   * digits, Fashion-MNIST with the fully connected net) within-class stiffness stays positive at
   * every observed distance, so the within-class fit has no crossing, while stiffness over all
   * pairs does cross zero at the distance where between-class pairs take over. Both are reported;
   * the within-class one remains the paper's quantity.
   *
   * @param pairs per-pair stiffness {@code (rows, cols)}
   * @param distances input distances {@code (rows, cols)}
   * @param config fit window, measure and bootstrap settings
   */
  public static Result estimateAllPairs(
      PairStiffness pairs, InputDistances distances, Config config) {
    Objects.requireNonNull(pairs, "pairs");
    // One shared label makes every pair a "within-class" pair of the same fit.
    return estimate(pairs, distances, new int[pairs.rows()], new int[pairs.cols()], config);
  }

  /**
   * Estimates xi from within-class pairs.
   *
   * @param pairs per-pair stiffness {@code (rows, cols)}
   * @param distances input distances {@code (rows, cols)}
   * @param rowLabels class of each row example
   * @param colLabels class of each column example
   * @param config fit window, measure and bootstrap settings
   */
  public static Result estimate(
      PairStiffness pairs,
      InputDistances distances,
      int[] rowLabels,
      int[] colLabels,
      Config config) {
    Objects.requireNonNull(pairs, "pairs");
    Objects.requireNonNull(distances, "distances");
    Objects.requireNonNull(config, "config");
    distances.requireShape(pairs);
    Checks.requireLabels("rowLabels", rowLabels, pairs.rows());
    Checks.requireLabels("colLabels", colLabels, pairs.cols());
    return estimate(RowMoments.of(pairs, distances, rowLabels, colLabels, config), config);
  }

  /**
   * Estimates xi from per-row sufficient statistics (the fitted pairs of each row example, already
   * selected by class, window and validity when they were summed; see {@link RowStatistics}): the
   * fit and the bootstrap of {@link #estimate(PairStiffness, InputDistances, int[], int[],
   * Config)}, which centres each row in a second pass over its pairs where this centres from the
   * sums, so the two agree to rounding (1e-12 relative on well-spread distances).
   *
   * @param statistics per-row sums of the fitted pairs
   * @param config the fit's settings; its measure and window must be the ones the sums were taken
   *     with
   */
  public static Result estimate(RowStatistics statistics, Config config) {
    Objects.requireNonNull(statistics, "statistics");
    Objects.requireNonNull(config, "config");
    return estimate(RowMoments.of(statistics), config);
  }

  private static Result estimate(RowMoments rows, Config config) {
    Fit all = rows.fit(null);
    if (all.n < config.minPairs() || rows.size < 2 || !(all.sxx > 0)) {
      return new NoCrossing(
          Reason.TOO_FEW_PAIRS,
          all.n
              + " pairs from "
              + rows.size
              + " examples in window ["
              + config.windowLo()
              + ", "
              + config.windowHi()
              + "]; need >= "
              + config.minPairs()
              + " pairs from >= 2 examples at more than one distance",
          all.n);
    }
    double slope = all.slope();
    if (slope >= 0) {
      return new NoCrossing(
          Reason.NON_NEGATIVE_SLOPE,
          "slope = " + fmt(slope) + " >= 0: stiffness does not decay with distance",
          all.n);
    }
    double xi = all.crossing();
    if (!(xi >= rows.minDistance && xi <= rows.maxDistance)) {
      return new NoCrossing(
          Reason.CROSSING_OUTSIDE_RANGE,
          "fitted crossing at d = "
              + fmt(xi)
              + " lies outside the observed distances ["
              + fmt(rows.minDistance)
              + ", "
              + fmt(rows.maxDistance)
              + "]",
          all.n);
    }

    double[] boot = new double[config.resamples()];
    SplittableRandom random = new SplittableRandom(config.seed());
    int[] weights = new int[rows.size];
    int noDecay = 0;
    for (int b = 0; b < boot.length; b++) {
      Arrays.fill(weights, 0);
      for (int k = 0; k < rows.size; k++) {
        weights[random.nextInt(rows.size)]++;
      }
      Fit f = rows.fit(weights);
      boolean decays = f.sxx > 0 && f.slope() < 0;
      boot[b] = decays ? f.crossing() : Double.POSITIVE_INFINITY;
      noDecay += decays ? 0 : 1;
    }
    Arrays.sort(boot);
    double alpha = 1 - config.confidence();
    double low = quantile(boot, alpha / 2);
    double high = quantile(boot, 1 - alpha / 2);
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      return new NoCrossing(
          Reason.INTERVAL_UNBOUNDED,
          "point estimate xi = "
              + fmt(xi)
              + " but "
              + noDecay
              + " of "
              + boot.length
              + " bootstrap resamples have slope >= 0, so the "
              + config.confidence()
              + " interval is unbounded",
          all.n);
    }
    return new Estimate(
        xi,
        low,
        high,
        config.confidence(),
        boot.length,
        slope,
        all.my - slope * all.mx,
        all.n,
        rows.size,
        rows.minDistance,
        rows.maxDistance);
  }

  /**
   * Linear-interpolation quantile of sorted values (numpy's default); infinite if it touches one.
   */
  private static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    double a = sorted[lo];
    double b = sorted[hi];
    if (!Double.isFinite(a) || !Double.isFinite(b)) {
      return Double.POSITIVE_INFINITY;
    }
    return a + (h - lo) * (b - a);
  }

  /** Pooled least-squares moments: n, means, centred sums {@code Sxx, Sxy}. */
  private record Fit(long n, double mx, double my, double sxx, double sxy) {
    double slope() {
      return sxy / sxx;
    }

    /** Zero of {@code y = my + slope (x - mx)}, written around the means for stability. */
    double crossing() {
      return mx - my / slope();
    }
  }

  /** Four significant digits: reasons are read by people; the numbers are in the result. */
  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }

  /**
   * Per-row sufficient statistics of the fitted pairs, centred on each row's own means (two passes
   * over a row that is in cache) so that pooling does not cancel catastrophically.
   */
  private static final class RowMoments {
    final int size;
    final long[] n;
    final double[] mx;
    final double[] my;
    final double[] mxx;
    final double[] mxy;
    final double minDistance;
    final double maxDistance;

    private RowMoments(
        int size,
        long[] n,
        double[] mx,
        double[] my,
        double[] mxx,
        double[] mxy,
        double minDistance,
        double maxDistance) {
      this.size = size;
      this.n = n;
      this.mx = mx;
      this.my = my;
      this.mxx = mxx;
      this.mxy = mxy;
      this.minDistance = minDistance;
      this.maxDistance = maxDistance;
    }

    static RowMoments of(
        PairStiffness pairs, InputDistances distances, int[] rowLabels, int[] colLabels, Config c) {
      int rows = pairs.rows();
      int cols = pairs.cols();
      boolean[] rowValid = pairs.rowValidity();
      boolean[] colValid = pairs.colValidity();
      long[] rowIds = pairs.rowIdArray();
      long[] colIds = pairs.colIdArray();
      float[] cos = pairs.cosineValues();
      byte[] sgn = pairs.signValues();
      boolean useSign = c.measure() == StiffnessMeasure.SIGN;
      float[] dist = distances.values();
      double lo = c.windowLo();
      double hi = c.windowHi();

      long[] n = new long[rows];
      double[] mx = new double[rows];
      double[] my = new double[rows];
      double[] mxx = new double[rows];
      double[] mxy = new double[rows];
      double minD = Double.POSITIVE_INFINITY;
      double maxD = Double.NEGATIVE_INFINITY;
      int size = 0;
      for (int i = 0; i < rows; i++) {
        if (!rowValid[i]) {
          continue;
        }
        int base = i * cols;
        int label = rowLabels[i];
        long rowId = rowIds[i];
        long cnt = 0;
        double sx = 0;
        double sy = 0;
        for (int j = 0; j < cols; j++) {
          double d = dist[base + j];
          if (colValid[j]
              && !PairTerms.selfPair(rowId, colIds[j])
              && colLabels[j] == label
              && PairTerms.fitted(d, lo, hi)) {
            cnt++;
            sx += d;
            sy += useSign ? sgn[base + j] : cos[base + j];
            minD = Math.min(minD, d);
            maxD = Math.max(maxD, d);
          }
        }
        if (cnt == 0) {
          continue;
        }
        double ax = sx / cnt;
        double ay = sy / cnt;
        double sxx = 0;
        double sxy = 0;
        for (int j = 0; j < cols; j++) {
          double d = dist[base + j];
          if (colValid[j]
              && !PairTerms.selfPair(rowId, colIds[j])
              && colLabels[j] == label
              && PairTerms.fitted(d, lo, hi)) {
            double y = useSign ? sgn[base + j] : cos[base + j];
            sxx += (d - ax) * (d - ax);
            sxy += (d - ax) * (y - ay);
          }
        }
        n[size] = cnt;
        mx[size] = ax;
        my[size] = ay;
        mxx[size] = sxx;
        mxy[size] = sxy;
        size++;
      }
      return new RowMoments(size, n, mx, my, mxx, mxy, minD, maxD);
    }

    /**
     * From raw sums: {@code S_xx = sum d^2 - m_x sum d}, {@code S_xy = sum d y - m_x sum y}. The
     * cancellation costs a factor {@code mean(d^2) / var(d)} of relative precision (about 100 for
     * image distances), far above float64's 1e-16.
     */
    static RowMoments of(RowStatistics statistics) {
      int rows = statistics.rows();
      long[] n = new long[rows];
      double[] mx = new double[rows];
      double[] my = new double[rows];
      double[] mxx = new double[rows];
      double[] mxy = new double[rows];
      int size = 0;
      for (int i = 0; i < rows; i++) {
        long cnt = statistics.pairs(i);
        if (cnt == 0) {
          continue;
        }
        double sd = statistics.get(i, RowStatistics.D);
        double sy = statistics.get(i, RowStatistics.Y);
        double ax = sd / cnt;
        n[size] = cnt;
        mx[size] = ax;
        my[size] = sy / cnt;
        mxx[size] = Math.max(0, statistics.get(i, RowStatistics.DD) - ax * sd);
        mxy[size] = statistics.get(i, RowStatistics.DY) - ax * sy;
        size++;
      }
      return new RowMoments(
          size, n, mx, my, mxx, mxy, statistics.minDistance(), statistics.maxDistance());
    }

    /**
     * Pools rows with integer weights (bootstrap multiplicities; null = each row once) using the
     * parallel-moments identity {@code S = sum_r w_r [S_r + n_r (m_r - m)(m'_r - m')]}.
     */
    Fit fit(int[] weights) {
      long total = 0;
      double sx = 0;
      double sy = 0;
      for (int r = 0; r < size; r++) {
        long w = (weights == null ? 1 : weights[r]) * n[r];
        total += w;
        sx += w * mx[r];
        sy += w * my[r];
      }
      if (total == 0) {
        return new Fit(0, 0, 0, 0, 0);
      }
      double gx = sx / total;
      double gy = sy / total;
      double sxx = 0;
      double sxy = 0;
      for (int r = 0; r < size; r++) {
        int w = weights == null ? 1 : weights[r];
        if (w == 0) {
          continue;
        }
        double dx = mx[r] - gx;
        sxx += w * (mxx[r] + n[r] * dx * dx);
        sxy += w * (mxy[r] + n[r] * dx * (my[r] - gy));
      }
      return new Fit(total, gx, gy, sxx, sxy);
    }
  }
}
