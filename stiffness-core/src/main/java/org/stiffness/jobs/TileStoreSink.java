package org.stiffness.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.tiles.StatisticsSums;
import org.stiffness.stats.tiles.SumsShape;

/**
 * A shard's sink: each tile's sums go to its files in a {@link TileStore} (with the Gram tile when
 * asked), and a tile whose files are there and verified is done, so that a killed shard resumes
 * where it stopped and recomputes only what is missing or corrupt. {@link SumsReplay} reads the
 * sums back for {@code merge}.
 */
public final class TileStoreSink implements SumsSink {
  private final TileStore store;
  private final String configHash;
  private final boolean gramTiles;
  private long bytesWritten;

  /**
   * @param store where the tile files go
   * @param configHash the measurement's configuration hash, written into every file and required of
   *     every file found
   * @param gramTiles also write each Gram tile; a tile is then done only with both its files
   */
  public TileStoreSink(TileStore store, String configHash, boolean gramTiles) {
    this.store = Objects.requireNonNull(store, "store");
    this.configHash = Objects.requireNonNull(configHash, "configHash");
    this.gramTiles = gramTiles;
  }

  /**
   * Done when the sums (and, with Gram tiles, the Gram tile) are there and verified; corrupt when a
   * file fails verification.
   *
   * @throws IllegalArgumentException when a file is of another configuration, naming it
   */
  @Override
  public Stored stored(PairingTiles pairing, TilePlan.Tile tile) {
    TileStore.State<StatisticsSums> sums =
        store.checkSums(
            pairing.key(), pairing.plan(), tile.index(), configHash, SumsShape.of(pairing.spec()));
    // Without Gram tiles, the sums alone say whether the tile is done.
    TileStore.State<?> gram =
        gramTiles ? store.check(pairing.key(), pairing.plan(), tile.index(), configHash) : sums;
    for (TileStore.State<?> s : List.of(sums, gram)) {
      if (s instanceof TileStore.Foreign<?> f) {
        throw foreign(f, configHash);
      }
    }
    if (sums.done() && gram.done()) {
      return Stored.DONE;
    }
    return sums instanceof TileStore.Corrupt<?> || gram instanceof TileStore.Corrupt<?>
        ? Stored.CORRUPT
        : Stored.MISSING;
  }

  /** Writes the Gram tile when asked, then the sums, replacing whatever was there. */
  @Override
  public void accept(PairingTiles pairing, StatisticsSums sums, DeviceTile tile)
      throws IOException {
    String key = pairing.key();
    int index = sums.tile().index();
    // The Gram tile first: the sums' sidecar, written last, marks a finished tile.
    if (gramTiles) {
      store.write(key, tile.toHost(), configHash);
    }
    store.writeSums(key, sums, configHash);
    bytesWritten += Files.size(store.sumsFile(key, index));
    bytesWritten += Files.size(store.sumsSidecarFile(key, index));
    if (gramTiles) {
      bytesWritten += Files.size(store.valuesFile(key, index));
      bytesWritten += Files.size(store.sidecarFile(key, index));
    }
  }

  /** Bytes of the files this sink wrote. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** The refusal of a file of another configuration. */
  static IllegalArgumentException foreign(TileStore.Foreign<?> file, String configHash) {
    return new IllegalArgumentException(
        file.file()
            + " was computed for configuration "
            + abbreviate(file.configHash())
            + ", not this measurement's "
            + abbreviate(configHash)
            + " (another checkpoint or other options): remove it or use another directory");
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) + "..." : hash;
  }
}
