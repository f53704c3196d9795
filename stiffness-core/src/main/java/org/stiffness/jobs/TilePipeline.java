package org.stiffness.jobs;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.GramProgress;
import org.stiffness.gram.GramReport;
import org.stiffness.gram.TilePlan;
import org.stiffness.gram.TileSource;
import org.stiffness.stats.tiles.StatisticsSums;
import org.stiffness.stats.tiles.TileReducer;

/**
 * The one loop from tiles to statistics: for the tiles a {@link Shard} holds, in pairing order and
 * plan order, skip those the {@link SumsSink} already has, compute the rest on the engine's device,
 * reduce each to its {@link StatisticsSums} where it lies, and hand the sums (with the tile) to the
 * sink. A measurement in one process is shard 0 of 1 into {@link InMemorySums}; a shard of {@code
 * stiffness measure} is its shard into a {@link TileStoreSink}, which {@code merge} reads back in
 * the same order ({@link SumsReplay}). Where the sums go is the only difference, so both add the
 * same bits in the same order.
 *
 * <p>Jobs are numbered across the pairings in the order given, and within a pairing in {@link
 * TilePlan} order: shard {@code i/k} runs jobs {@code i, i + k, ...}.
 */
public final class TilePipeline {
  private final Engine engine;

  /**
   * What the pipeline needs of an engine ({@code org.stiffness.StiffnessEngine} is the one): the
   * tiles of a plan, and the reducer for them. An interface here rather than the engine's class so
   * that the pipeline does not depend on the package that depends on it.
   */
  public interface Engine {
    /**
     * Computes chosen tiles of {@code plan} over {@code rows} x {@code cols}, bitwise equal to the
     * same tiles of the whole matrix.
     *
     * @param cols the column examples, {@code rows} itself for a symmetric plan
     */
    TileSource tiles(TilePlan plan, Examples rows, Examples cols);

    /** The reducer for the tiles of {@code plan}, on the engine's device. */
    TileReducer reducer(TilePlan plan);
  }

  /**
   * @param engine computes the tiles ({@link Engine#tiles}) and gives their reducer
   */
  public TilePipeline(Engine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /**
   * What one {@link #run} did.
   *
   * @param computed tiles computed that the sink did not hold
   * @param recomputed tiles computed again because what the sink held failed verification
   * @param skipped tiles the sink held, verified
   * @param total tiles of all the pairings (every shard's)
   * @param reductionSeconds wall time reducing tiles to sums (input distances included)
   * @param computations what each pairing's Gram computation did, by key, for the pairings of which
   *     a tile was computed; its consumer time is the reductions' and the sink's
   */
  public record Report(
      int computed,
      int recomputed,
      int skipped,
      int total,
      double reductionSeconds,
      Map<String, GramReport> computations) {
    /** Keeps the pairings' order, unmodifiable. */
    public Report {
      computations = Collections.unmodifiableMap(new LinkedHashMap<>(computations));
    }

    /** Seconds in forward/backward passes and operand preparation, over the pairings. */
    public double gradientSeconds() {
      return computations.values().stream().mapToDouble(GramReport::extractionSeconds).sum();
    }

    /** Seconds in the Gram products, over the pairings. */
    public double productSeconds() {
      return computations.values().stream().mapToDouble(GramReport::productSeconds).sum();
    }
  }

  /**
   * Runs the tiles of {@code shard}.
   *
   * @param pairings in job order
   * @param progress told {@code (done, ofShard)} after each of the shard's tiles, skipped or not
   * @throws IOException when the sink cannot take a tile's sums
   * @throws IllegalArgumentException when the sink holds a tile of another measurement, or a tile
   *     cannot be computed or reduced
   */
  public Report run(List<PairingTiles> pairings, Shard shard, SumsSink sink, GramProgress progress)
      throws IOException {
    int total = 0;
    for (PairingTiles p : pairings) {
      total += p.plan().tileCount();
    }
    int ofShard = 0;
    for (int job = 0; job < total; job++) {
      ofShard += shard.holds(job) ? 1 : 0;
    }
    Tally tally = new Tally();
    Map<String, GramReport> computations = new LinkedHashMap<>();
    int job = 0;
    for (PairingTiles p : pairings) {
      TileReducer reducer = engine.reducer(p.plan());
      TileSource tiles = null;
      long consumerNanos = 0;
      try {
        for (TilePlan.Tile t : p.plan().tiles()) {
          if (!shard.holds(job++)) {
            continue;
          }
          SumsSink.Stored stored = sink.stored(p, t);
          if (stored == SumsSink.Stored.DONE) {
            tally.skipped++;
          } else {
            if (tiles == null) {
              // Opened at the first tile to compute: a shard with every tile done extracts nothing.
              tiles = engine.tiles(p.plan(), p.rows(), p.cols());
            }
            try (DeviceTile tile = tiles.deviceTile(t.index())) {
              long reducing = System.nanoTime();
              StatisticsSums sums = reducer.reduce(tile, p.spec());
              long reduced = System.nanoTime();
              sink.accept(p, sums, tile);
              tally.reductionNanos += reduced - reducing;
              consumerNanos += System.nanoTime() - reducing;
            }
            if (stored == SumsSink.Stored.CORRUPT) {
              tally.recomputed++;
            } else {
              tally.computed++;
            }
          }
          progress.tilesDone(tally.computed + tally.recomputed + tally.skipped, ofShard);
        }
        if (tiles != null) {
          computations.put(p.key(), tiles.report(consumerNanos * 1e-9));
        }
      } finally {
        if (tiles != null) {
          tiles.close();
        }
      }
    }
    return new Report(
        tally.computed,
        tally.recomputed,
        tally.skipped,
        total,
        tally.reductionNanos * 1e-9,
        computations);
  }

  /** What a run did, as it goes. */
  private static final class Tally {
    int computed;
    int recomputed;
    int skipped;
    long reductionNanos;
  }
}
