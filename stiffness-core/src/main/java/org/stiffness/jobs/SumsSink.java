package org.stiffness.jobs;

import java.io.IOException;
import java.util.Objects;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.TileConsumer;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.tiles.StatisticsSums;

/**
 * Where the {@link TilePipeline} puts the sums of each tile it reduces: the only thing that differs
 * between a measurement in one process ({@link InMemorySums}, adding them up as they come) and a
 * shard ({@link TileStoreSink}, writing them to tile files for {@code merge}).
 */
public interface SumsSink {
  /** What a sink already holds of a tile. */
  enum Stored {
    /** Nothing: the tile is computed. */
    MISSING,
    /** A verified result: the tile is skipped. */
    DONE,
    /** A result that failed verification: the tile is computed again. */
    CORRUPT
  }

  /**
   * What this sink holds of a tile, asked before the tile is computed.
   *
   * @throws IllegalArgumentException when it holds a result that belongs to another measurement
   */
  Stored stored(PairingTiles pairing, TilePlan.Tile tile);

  /**
   * Takes a computed tile's sums; tiles of a pairing come in plan order.
   *
   * @param tile the tile itself, on its device, valid during the call (for writers of Gram tiles or
   *     pair matrices)
   */
  void accept(PairingTiles pairing, StatisticsSums sums, DeviceTile tile) throws IOException;

  /** This sink, then {@code each} with the tile (after its sums were taken). */
  default SumsSink andThen(TileConsumer each) {
    Objects.requireNonNull(each, "each");
    SumsSink first = this;
    return new SumsSink() {
      @Override
      public Stored stored(PairingTiles pairing, TilePlan.Tile tile) {
        return first.stored(pairing, tile);
      }

      @Override
      public void accept(PairingTiles pairing, StatisticsSums sums, DeviceTile tile)
          throws IOException {
        first.accept(pairing, sums, tile);
        each.accept(tile);
      }
    };
  }
}
