package org.stiffness.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.stiffness.gram.TilePlan;
import org.stiffness.io.AtomicFiles;
import org.stiffness.stats.tiles.StatisticsSums;
import org.stiffness.stats.tiles.SumsShape;

/**
 * What {@code merge} does with the files the shards' {@link TileStoreSink}s wrote: reads every
 * tile's sums back, verified, and adds them into {@link InMemorySums} in the order a process
 * running all the tiles adds them, so the merged statistics are that process's bit for bit.
 */
public final class SumsReplay {
  /** Missing tiles a message names before it refers to the full list in a file. */
  static final int NAMED = 8;

  /** The full list of missing tiles, one per line, written next to the tiles when it is long. */
  public static final String MISSING_LIST = "missing-tiles.txt";

  private SumsReplay() {}

  /**
   * Adds the stored sums of every tile of {@code pairings} into {@code into}, in plan order.
   *
   * @param shards the shard count k the tiles were computed in (to say which shard lacks a tile)
   * @param status told which pairing's sums are being read
   * @throws IllegalArgumentException listing every corrupt tile, or naming a file of another
   *     configuration, or for missing tiles: their count, the shards they belong to and the first
   *     {@value #NAMED}, with the full list written to {@value #MISSING_LIST} in the store's root
   *     when there are more (a list of thousands is no one-line message)
   * @throws IOException when that list cannot be written
   */
  public static void replay(
      TileStore store,
      String configHash,
      int shards,
      List<PairingTiles> pairings,
      InMemorySums into,
      Consumer<String> status)
      throws IOException {
    List<String> missing = new ArrayList<>();
    Set<String> shardsLacking = new TreeSet<>();
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
      boolean missingHere = false;
      for (TilePlan.Tile t : plan.tiles()) {
        TileStore.State<StatisticsSums> state =
            store.checkSums(key, plan, t.index(), configHash, shape);
        if (state instanceof TileStore.Present<StatisticsSums> present) {
          // Sums are added in plan order only: after a gap, the rest is only checked.
          if (!missingHere && corrupt.isEmpty()) {
            into.add(p, present.content());
          }
        } else if (state instanceof TileStore.Corrupt<StatisticsSums> c) {
          corrupt.add(c.file() + ": " + c.reason());
        } else if (state instanceof TileStore.Foreign<StatisticsSums> f) {
          throw TileStoreSink.foreign(f, configHash);
        } else {
          String shard = (job % shards) + "/" + shards;
          missingHere = true;
          missing.add(key + " tile " + t.index() + " (shard " + shard + ")");
          shardsLacking.add(shard);
          missingCount++;
        }
        job++;
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
      String named;
      if (missing.size() <= NAMED) {
        named = ": " + String.join(", ", missing);
      } else {
        Path list = store.root().resolve(MISSING_LIST);
        AtomicFiles.writeStream(
            list,
            out -> out.write((String.join("\n", missing) + "\n").getBytes(StandardCharsets.UTF_8)));
        named =
            "; the first "
                + NAMED
                + ": "
                + String.join(", ", missing.subList(0, NAMED))
                + "; all "
                + missing.size()
                + " are listed in "
                + list;
      }
      throw new IllegalArgumentException(
          missingCount
              + " of "
              + total
              + " tiles are missing in "
              + store.root()
              + " (of shard"
              + (shardsLacking.size() == 1 ? " " : "s ")
              + String.join(", ", shardsLacking)
              + ")"
              + named);
    }
  }
}
