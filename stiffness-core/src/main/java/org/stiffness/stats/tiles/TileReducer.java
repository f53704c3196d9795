package org.stiffness.stats.tiles;

import org.stiffness.gram.DeviceTile;

/**
 * Reduces one Gram tile to its {@link StatisticsSums}. Deterministic: the same tile, spec and
 * machine give the same bits, so tiles reduced in separate processes add up to exactly the
 * one-process statistics.
 */
public interface TileReducer {
  /**
   * @param tile the tile, on its device (valid during the call)
   * @param spec the pairing's examples, distances and options
   * @throws IllegalArgumentException when a squared gradient norm is negative or not finite, an
   *     entry of a valid pair is not finite, or a distance lies outside [0, 2] (naming the example
   *     or pair)
   */
  StatisticsSums reduce(DeviceTile tile, StatisticsSpec spec);

  /** Which reduction this is ({@code host} or {@code device}), for configurations and hashes. */
  String name();
}
