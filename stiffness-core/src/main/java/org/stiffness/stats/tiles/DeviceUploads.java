package org.stiffness.stats.tiles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reducer's one way to the device: everything a tile needs from the host (its examples' norms,
 * bounds, groups and self-pairs, and the constants of the statistics) goes up as one float64 vector
 * per tile, never inside the loop over a tile's row chunks. Counted, like {@link DeviceReads}.
 */
final class DeviceUploads {
  private static final AtomicLong UPLOADS = new AtomicLong();

  private DeviceUploads() {}

  /** {@code values} as a float64 vector on {@code manager}'s device. */
  static NDArray vector(NDManager manager, double[] values) {
    UPLOADS.incrementAndGet();
    return manager.create(values, new Shape(values.length));
  }

  /** Uploads made so far in this process. */
  static long count() {
    return UPLOADS.get();
  }
}
