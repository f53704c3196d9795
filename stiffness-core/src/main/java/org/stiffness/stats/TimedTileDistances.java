package org.stiffness.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.stiffness.gram.PhaseTiming;
import org.stiffness.gram.TilePlan;

/**
 * Input distances that count the wall time spent making them, so that a measurement can say how
 * much of its statistics time went to the distances (one matrix product per tile for the cosine of
 * the inputs) and how much to the reductions. Being timed, each tile made on a GPU ends with a
 * {@link PhaseTiming#boundary}, so its kernels count here and not in the reduction that reads them.
 */
public final class TimedTileDistances implements TileDistances {
  private final TileDistances distances;
  private final PhaseTiming timing;
  private final AtomicLong nanos = new AtomicLong();

  /**
   * @param distances the distances timed, each device tile ending with a boundary on a GPU ({@link
   *     PhaseTiming#synced()})
   */
  public TimedTileDistances(TileDistances distances) {
    this(distances, PhaseTiming.synced());
  }

  /**
   * @param distances the distances timed
   * @param timing where and how a device tile's phase ends
   */
  public TimedTileDistances(TileDistances distances, PhaseTiming timing) {
    this.distances = Objects.requireNonNull(distances, "distances");
    this.timing = Objects.requireNonNull(timing, "timing");
  }

  @Override
  public NDArray tile(TilePlan.Tile tile, NDManager manager) {
    long start = System.nanoTime();
    try {
      NDArray d = distances.tile(tile, manager);
      timing.boundary(d);
      return d;
    } finally {
      nanos.addAndGet(System.nanoTime() - start);
    }
  }

  @Override
  public NDArray tile(TilePlan.Tile tile, NDManager manager, double[] criticalValues) {
    long start = System.nanoTime();
    try {
      NDArray d = distances.tile(tile, manager, criticalValues);
      timing.boundary(d);
      return d;
    } finally {
      nanos.addAndGet(System.nanoTime() - start);
    }
  }

  @Override
  public float[] hostTile(TilePlan.Tile tile, NDManager manager) {
    long start = System.nanoTime();
    try {
      return distances.hostTile(tile, manager);
    } finally {
      nanos.addAndGet(System.nanoTime() - start);
    }
  }

  /** Seconds spent in the distances so far (on a GPU: until the result was handed over). */
  public double seconds() {
    return nanos.get() * 1e-9;
  }
}
