package org.stiffness.stats.tiles;

import ai.djl.ndarray.NDArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reducer's one way back from the device: each tile's sums come back as one packed float64
 * vector, one read (one synchronisation on a GPU) per tile. Counted, so that a test can hold the
 * reducer to it; the class-file test {@code TileReducerTransfersTest} checks that the reducer's
 * classes read nothing any other way (but the error paths of {@link TileChecks}).
 */
final class DeviceReads {
  private static final AtomicLong READS = new AtomicLong();

  private DeviceReads() {}

  /** The vector's values on the host. */
  static double[] vector(NDArray v) {
    READS.incrementAndGet();
    return v.toDoubleArray();
  }

  /** Reads made so far in this process. */
  static long count() {
    return READS.get();
  }
}
