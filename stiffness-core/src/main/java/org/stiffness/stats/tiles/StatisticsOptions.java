package org.stiffness.stats.tiles;

import java.util.Objects;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceBins;

/**
 * How the statistics of a pairing are taken.
 *
 * @param bins input-distance bins of the distance profiles
 * @param criticalLength the xi fit (measure and window select the pairs summed per row)
 */
public record StatisticsOptions(DistanceBins bins, CriticalLength.Config criticalLength) {
  /**
   * @throws NullPointerException when an option is missing
   */
  public StatisticsOptions {
    Objects.requireNonNull(bins, "bins");
    Objects.requireNonNull(criticalLength, "criticalLength");
  }

  /** 20 bins over [0, 2], xi from cosine stiffness over [0, 2]. */
  public static StatisticsOptions defaults() {
    return new StatisticsOptions(DistanceBins.defaults(), CriticalLength.Config.defaults());
  }

  /** These options with other bins. */
  public StatisticsOptions withBins(DistanceBins value) {
    return new StatisticsOptions(value, criticalLength);
  }

  /** These options with another xi fit. */
  public StatisticsOptions withCriticalLength(CriticalLength.Config value) {
    return new StatisticsOptions(bins, value);
  }
}
