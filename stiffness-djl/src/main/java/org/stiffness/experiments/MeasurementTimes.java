package org.stiffness.experiments;

import java.util.Locale;
import org.stiffness.gram.GramReport;

/**
 * Where the time of a measurement went, over all its pairings and checkpoints: per-example
 * gradients (forward/backward passes and operands), Gram products, and statistics (each tile's
 * reduction, input distances included).
 */
public final class MeasurementTimes {
  private double gradientSeconds;
  private double productSeconds;
  private double statisticsSeconds;
  private long tiles;

  /** Adds one Gram computation's times. */
  public synchronized void add(GramReport report) {
    gradientSeconds += report.extractionSeconds();
    productSeconds += report.productSeconds();
    statisticsSeconds += report.consumerSeconds();
    tiles += report.tiles();
  }

  /** Adds times measured elsewhere (a shard's tiles). */
  public synchronized void add(double gradients, double products, double statistics, long count) {
    gradientSeconds += gradients;
    productSeconds += products;
    statisticsSeconds += statistics;
    tiles += count;
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

  /** Tiles computed. */
  public synchronized long tiles() {
    return tiles;
  }

  /** One line: the three times and the statistics' share of the Gram time. */
  @Override
  public synchronized String toString() {
    double gram = gradientSeconds + productSeconds;
    return String.format(
        Locale.ROOT,
        "%d tiles: %.1f s gradients + %.1f s products + %.1f s statistics (%.0f %% of the Gram"
            + " time)",
        tiles,
        gradientSeconds,
        productSeconds,
        statisticsSeconds,
        gram > 0 ? 100 * statisticsSeconds / gram : 0);
  }
}
