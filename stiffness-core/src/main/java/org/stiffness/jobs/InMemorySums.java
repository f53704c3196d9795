package org.stiffness.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.StatisticsSums;

/**
 * The sums of whole pairings in memory ({@link StatisticsSums#pairing}), each tile's sums added as
 * they come: from the {@link TilePipeline} in one process, or read back from tile files by {@link
 * SumsReplay}. Either way in plan order, so the two give the same bits.
 */
public final class InMemorySums implements SumsSink {
  private final Map<String, StatisticsSums> sums = new LinkedHashMap<>();

  /**
   * Zero sums for each pairing.
   *
   * @throws IllegalArgumentException when two pairings have one key, or a plan is not for its
   *     spec's examples
   */
  public InMemorySums(List<PairingTiles> pairings) {
    this(pairings, 0);
  }

  /**
   * Zero sums for each pairing, whose tiles' squared norms of one example may differ by {@code
   * normTolerance} (tiles computed on a GPU, {@link org.stiffness.gram.ExampleNorms#tolerance}; 0
   * for bitwise).
   *
   * @throws IllegalArgumentException when two pairings have one key, or a plan is not for its
   *     spec's examples
   */
  public InMemorySums(List<PairingTiles> pairings, double normTolerance) {
    for (PairingTiles p : pairings) {
      if (sums.put(p.key(), StatisticsSums.pairing(p.plan(), p.spec(), normTolerance)) != null) {
        throw new IllegalArgumentException("two pairings are called " + p.key());
      }
    }
  }

  /** Holds nothing before its tiles are added: every tile is computed. */
  @Override
  public Stored stored(PairingTiles pairing, TilePlan.Tile tile) {
    return Stored.MISSING;
  }

  /** Adds the tile's sums to its pairing's. */
  @Override
  public void accept(PairingTiles pairing, StatisticsSums tileSums, DeviceTile tile) {
    add(pairing, tileSums);
  }

  /**
   * Adds the next tile's sums to its pairing's ({@link StatisticsSums#add}).
   *
   * @throws IllegalArgumentException when the tile is not the pairing's next one in plan order
   */
  public void add(PairingTiles pairing, StatisticsSums tileSums) {
    of(pairing).add(tileSums);
  }

  /** The statistics of a pairing whose tiles were all added ({@link StatisticsSums#finish}). */
  public PairingStatistics finish(PairingTiles pairing) {
    return of(pairing).finish();
  }

  private StatisticsSums of(PairingTiles pairing) {
    StatisticsSums s = sums.get(pairing.key());
    if (s == null) {
      throw new IllegalArgumentException(
          "no pairing " + pairing.key() + " here (" + sums.keySet() + ")");
    }
    return s;
  }
}
