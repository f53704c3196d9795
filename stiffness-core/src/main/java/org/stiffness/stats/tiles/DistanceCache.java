package org.stiffness.stats.tiles;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Each tile's input-distance geometry ({@link TileGeometry}: the distances, each row's pairs in
 * slot order, and the sums that do not depend on the Gram entries), kept on the device across the
 * checkpoints of one run: the inputs do not change during training, so a measurement at its tenth
 * checkpoint reads them instead of multiplying the inputs and sorting the pairs again.
 *
 * <p>Bounded: a tile is kept while the cache holds at most {@code maxBytes} and the engine's memory
 * budget has room beside its tiles (see {@link TileReducer}); tiles that do not fit are made again
 * at every checkpoint. The first tiles of a pass are the ones kept, since every checkpoint visits
 * the tiles in the same order (least-recently-used eviction would keep none of them). Give one
 * cache to the specs of all the pairings of a run, and close it after the run.
 */
public final class DistanceCache implements AutoCloseable {
  private final long maxBytes;
  private final Map<StatisticsSpec, Map<Integer, TileGeometry>> tiles = new IdentityHashMap<>();

  private final Map<Device, NDManager> managers = new HashMap<>();
  private long bytes;
  private boolean closed;

  /**
   * @param maxBytes device bytes the cache may hold (on every device together)
   */
  public DistanceCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes = " + maxBytes + ", expected >= 0");
    }
    this.maxBytes = maxBytes;
  }

  /** A cache as large as the engines' memory budgets allow. */
  public static DistanceCache unbounded() {
    return new DistanceCache(Long.MAX_VALUE);
  }

  /** Device bytes held. */
  public synchronized long bytes() {
    return bytes;
  }

  /** Tiles held. */
  public synchronized int tiles() {
    return tiles.values().stream().mapToInt(Map::size).sum();
  }

  /** The geometry of a spec's tile, or null. */
  synchronized TileGeometry get(StatisticsSpec spec, int tile, Device device) {
    Map<Integer, TileGeometry> bySpec = tiles.get(spec);
    TileGeometry g = bySpec == null ? null : bySpec.get(tile);
    return g != null && g.device().equals(device) ? g : null;
  }

  /** A manager for a new entry on {@code device} (closed by the entry, or by the cache). */
  synchronized NDManager newEntry(Device device) {
    if (closed) {
      throw new IllegalStateException("the distance cache is closed");
    }
    return managers.computeIfAbsent(device, NDManager::newBaseManager).newSubManager();
  }

  /** Whether a geometry of {@code size} bytes would be kept ({@code room} as for {@link #keep}). */
  synchronized boolean admits(long size, long room) {
    return !closed && bytes + size <= Math.min(maxBytes, room);
  }

  /**
   * Keeps a built geometry if it fits ({@code room}: what the engine's budget leaves beside its
   * tiles); returns whether it was kept (else the caller closes it after use).
   */
  synchronized boolean keep(StatisticsSpec spec, int tile, TileGeometry g, long room) {
    long size = g.bytes();
    if (closed || bytes + size > Math.min(maxBytes, room)) {
      return false;
    }
    TileGeometry old = tiles.computeIfAbsent(spec, s -> new HashMap<>()).put(tile, g);
    if (old != null) {
      bytes -= old.bytes();
      old.close();
    }
    bytes += size;
    return true;
  }

  /** Drops a tile (its distances were refused). */
  synchronized void evict(StatisticsSpec spec, int tile) {
    Map<Integer, TileGeometry> bySpec = tiles.get(spec);
    TileGeometry g = bySpec == null ? null : bySpec.remove(tile);
    if (g != null) {
      bytes -= g.bytes();
      g.close();
    }
  }

  /** Frees every tile's arrays; the cache keeps nothing afterwards. */
  @Override
  public synchronized void close() {
    closed = true;
    tiles.clear();
    bytes = 0;
    managers.values().forEach(NDManager::close);
    managers.clear();
  }
}
