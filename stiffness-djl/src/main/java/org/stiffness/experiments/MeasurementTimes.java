package org.stiffness.experiments;

import java.util.Locale;
import org.stiffness.gram.GramReport;

/**
 * Where the time of a measurement went, over all its pairings and checkpoints: per-example
 * gradients (forward/backward passes and operands), Gram products, and statistics (each tile's
 * reduction, of which the input distances are told apart: for the cosine of the inputs they are one
 * float64 matrix product per tile).
 */
public final class MeasurementTimes {
  private double gradientSeconds;
  private double productSeconds;
  private double statisticsSeconds;
  private double distanceSeconds;
  private long tiles;

  /**
   * Adds one Gram computation's times.
   *
   * @param distances of its statistics time, the seconds spent making input distances
   */
  public synchronized void add(GramReport report, double distances) {
    gradientSeconds += report.extractionSeconds();
    productSeconds += report.productSeconds();
    statisticsSeconds += report.consumerSeconds();
    distanceSeconds += distances;
    tiles += report.tiles();
  }

  /** Seconds in forward/backward passes and operand preparation. */
  public synchronized double gradientSeconds() {
    return gradientSeconds;
  }

  /** Seconds in Gram products. */
  public synchronized double productSeconds() {
    return productSeconds;
  }

  /** Seconds reducing tiles to statistics (input distances included). */
  public synchronized double statisticsSeconds() {
    return statisticsSeconds;
  }

  /** Of {@link #statisticsSeconds()}, the seconds spent making input distances. */
  public synchronized double distanceSeconds() {
    return distanceSeconds;
  }

  /** Tiles computed. */
  public synchronized long tiles() {
    return tiles;
  }

  /** One line: the times and the statistics' share of the Gram time. */
  @Override
  public synchronized String toString() {
    double gram = gradientSeconds + productSeconds;
    return String.format(
        Locale.ROOT,
        "%d tiles: %.1f s gradients + %.1f s products + %.1f s statistics, of which %.1f s input"
            + " distances (statistics %.0f %% of the Gram time, %.0f %% without the distances)",
        tiles,
        gradientSeconds,
        productSeconds,
        statisticsSeconds,
        distanceSeconds,
        gram > 0 ? 100 * statisticsSeconds / gram : 0,
        gram > 0 ? 100 * (statisticsSeconds - distanceSeconds) / gram : 0);
  }
}
