package org.stiffness.cli.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * Our measurement and the PyTorch script's, on one model, N, device and thread count, timed
 * alternately in one sitting.
 *
 * @param model the model's name ({@code fc}, {@code cnn})
 * @param n examples
 * @param parameters the model's trainable parameters
 * @param device our name of the device ({@code cpu}, {@code gpu0})
 * @param threads intra-op threads of both sides
 * @param repeats timed runs of each side
 * @param ours our side
 * @param pytorch the PyTorch script's side
 */
public record Comparison(
    String model,
    int n,
    long parameters,
    String device,
    int threads,
    int repeats,
    Side ours,
    Side pytorch) {

  /**
   * One side's timed runs (seconds, in the order they ran) and the statistics of its last run.
   *
   * @param name who computed: engine and version
   * @param method how the Gram matrix was made
   * @param seconds each run, end to end
   * @param gradientSeconds each run's per-example gradients and Gram products
   * @param statisticsSeconds each run's statistics, input distances included
   * @param distanceSeconds each run's input distances
   * @param statistics the headline figures of the last run's statistics
   */
  public record Side(
      String name,
      String method,
      double[] seconds,
      double[] gradientSeconds,
      double[] statisticsSeconds,
      double[] distanceSeconds,
      HeadlineStatistics statistics) {

    /** The fastest run's seconds. */
    @JsonProperty("best_seconds")
    public double bestSeconds() {
      return seconds[bestRun()];
    }

    /** The median of the runs' seconds (the mean of the middle two for an even count). */
    @JsonProperty("median_seconds")
    public double medianSeconds() {
      double[] sorted = seconds.clone();
      Arrays.sort(sorted);
      int m = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }

    /** Index of the fastest run (the first of equals), whose parts the table shows. */
    @JsonProperty("best_run")
    public int bestRun() {
      int best = 0;
      for (int r = 1; r < seconds.length; r++) {
        if (seconds[r] < seconds[best]) {
          best = r;
        }
      }
      return best;
    }
  }

  /** PyTorch's best time over ours: above 1 where ours is faster. */
  @JsonProperty("ratio_best")
  public double ratioBest() {
    return pytorch.bestSeconds() / ours.bestSeconds();
  }

  /** PyTorch's median time over ours. */
  @JsonProperty("ratio_median")
  public double ratioMedian() {
    return pytorch.medianSeconds() / ours.medianSeconds();
  }
}
