package org.stiffness.stats.tiles;

import ai.djl.Device;

/** Where a tile's statistics are reduced. */
public enum Reduction {
  /** {@link #HOST} on a CPU device, {@link #DEVICE} on a GPU. */
  AUTO,
  /**
   * One fused pass per tile in the JVM ({@link HostTileReducer}). On a CPU the tile's memory is the
   * host's already, and libtorch's CPU kernels take one pass over the tile per operation where the
   * fused loop takes one in all (measured in docs/measurements.md).
   */
  HOST,
  /**
   * NDArray operations on the tile's device ({@link DeviceTileReducer}); only O(N + C^2 + bins)
   * numbers per tile come back to the host. For GPUs, where a host pass would take many times the
   * device's time for the tile.
   */
  DEVICE;

  /** The reduction this choice means on {@code device}. */
  public Reduction on(Device device) {
    if (this != AUTO) {
      return this;
    }
    return Device.Type.GPU.equals(device.getDeviceType()) ? DEVICE : HOST;
  }

  /** The reducer of this (resolved) choice. */
  public TileReducer reducer(Device device) {
    return on(device) == DEVICE ? new DeviceTileReducer() : new HostTileReducer();
  }

  /** Parses "auto", "host" or "device" (case-insensitive). */
  public static Reduction parse(String text) {
    for (Reduction r : values()) {
      if (r.name().equalsIgnoreCase(text)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown reduction '" + text + "': expected auto, host or device");
  }
}
