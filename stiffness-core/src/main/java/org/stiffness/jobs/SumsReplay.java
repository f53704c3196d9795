package org.stiffness.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.tiles.StatisticsSums;
import org.stiffness.stats.tiles.SumsShape;

/**
 * What {@code merge} does with the files the shards' {@link TileStoreSink}s wrote: reads every
 * tile's sums back, verified, and adds them into {@link InMemorySums} in the order a process
 * running all the tiles adds them, so the merged statistics are that process's bit for bit.
 */
public final class SumsReplay {
  private SumsReplay() {}

  /**
   * Adds the stored sums of every tile of {@code pairings} into {@code into}, in plan order.
   *
   * @param shards the shard count k the tiles were computed in (to say which shard lacks a tile)
   * @param status told which pairing's sums are being read
   * @throws IllegalArgumentException listing every missing or corrupt tile (missing ones with their
   *     shard), or naming a file of another configuration
   */
  public static void replay(
      TileStore store,
      String configHash,
      int shards,
      List<PairingTiles> pairings,
      InMemorySums into,
      Consumer<String> status) {
    List<String> missing = new ArrayList<>();
    List<String> corrupt = new ArrayList<>();
    int missingCount = 0;
    int job = 0;
    int total = 0;
    for (PairingTiles p : pairings) {
      total += p.plan().tileCount();
    }
    for (PairingTiles p : pairings) {
      String key = p.key();
      TilePlan plan = p.plan();
      status.accept("adding the sums of " + plan.tileCount() + " tiles of " + key);
      SumsShape shape = SumsShape.of(p.spec());
      List<String> missingHere = new ArrayList<>();
      for (TilePlan.Tile t : plan.tiles()) {
        TileStore.State<StatisticsSums> state =
            store.checkSums(key, plan, t.index(), configHash, shape);
        if (state instanceof TileStore.Present<StatisticsSums> present) {
          // Sums are added in plan order only: after a gap, the rest is only checked.
          if (missingHere.isEmpty() && corrupt.isEmpty()) {
            into.add(p, present.content());
          }
        } else if (state instanceof TileStore.Corrupt<StatisticsSums> c) {
          corrupt.add(c.file() + ": " + c.reason());
        } else if (state instanceof TileStore.Foreign<StatisticsSums> f) {
          throw TileStoreSink.foreign(f, configHash);
        } else {
          missingHere.add(t.index() + " (shard " + (job % shards) + "/" + shards + ")");
          missingCount++;
        }
        job++;
      }
      if (!missingHere.isEmpty()) {
        missing.add(key + " tiles " + String.join(", ", missingHere));
      }
    }
    if (!corrupt.isEmpty()) {
      throw new IllegalArgumentException(
          corrupt.size()
              + " tile file(s) fail verification, rerun stiffness measure on their shards to"
              + " recompute them: "
              + String.join("; ", corrupt));
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          missingCount
              + " of "
              + total
              + " tiles are missing in "
              + store.root()
              + ": "
              + String.join("; ", missing));
    }
  }
}
