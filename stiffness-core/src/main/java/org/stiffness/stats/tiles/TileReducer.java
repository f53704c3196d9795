package org.stiffness.stats.tiles;

import org.stiffness.gram.DeviceTile;

/**
 * Reduces Gram tiles to their {@link StatisticsSums} where they lie, on the CPU and on a GPU alike.
 * Deterministic: the same tile, spec and machine give the same bits, so tiles reduced in separate
 * processes add up to exactly the one-process statistics.
 */
public final class TileReducer {
  /** The reducer's name and version in configurations and hashes. */
  public static final String NAME = "ndarray/1";

  /** A reducer with the default chunk size. */
  public TileReducer() {}

  /**
   * @param tile the tile, on its device (valid during the call)
   * @param spec the pairing's examples, distances and options
   * @throws IllegalArgumentException when a squared gradient norm is negative or not finite, an
   *     entry of a valid pair is not finite, or a distance lies outside [0, 2] (naming the example
   *     or pair)
   */
  public StatisticsSums reduce(DeviceTile tile, StatisticsSpec spec) {
    return new DeviceTileReducer().reduce(tile, spec);
  }

  /** {@link #NAME}. */
  public String name() {
    return NAME;
  }
}
