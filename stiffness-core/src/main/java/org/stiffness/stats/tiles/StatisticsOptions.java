package org.stiffness.stats.tiles;

import java.util.Objects;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceBins;

/**
 * How the statistics of a pairing are taken.
 *
 * @param bins input-distance bins of the distance profiles
 * @param criticalLength the xi fit (measure and window select the pairs summed per row)
 * @param reduction where each tile is reduced
 */
public record StatisticsOptions(
    DistanceBins bins, CriticalLength.Config criticalLength, Reduction reduction) {
  /**
   * @throws NullPointerException when an option is missing
   */
  public StatisticsOptions {
    Objects.requireNonNull(bins, "bins");
    Objects.requireNonNull(criticalLength, "criticalLength");
    Objects.requireNonNull(reduction, "reduction");
  }

  /**
   * 20 bins over [0, 2], xi from cosine stiffness over [0, 2], reduced where it suits the device.
   */
  public static StatisticsOptions defaults() {
    return new StatisticsOptions(
        DistanceBins.defaults(), CriticalLength.Config.defaults(), Reduction.AUTO);
  }

  /** These options with other bins. */
  public StatisticsOptions withBins(DistanceBins value) {
    return new StatisticsOptions(value, criticalLength, reduction);
  }

  /** These options with another xi fit. */
  public StatisticsOptions withCriticalLength(CriticalLength.Config value) {
    return new StatisticsOptions(bins, value, reduction);
  }

  /** These options with another reduction. */
  public StatisticsOptions withReduction(Reduction value) {
    return new StatisticsOptions(bins, criticalLength, value);
  }
}
