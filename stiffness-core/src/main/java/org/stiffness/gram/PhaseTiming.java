package org.stiffness.gram;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Whether the engine's phases (gradients, products, distances) are timed truly, and how. A GPU runs
 * its kernels asynchronously: a launch returns at once and the work lands in whichever phase first
 * reads something back, so the wall time of a phase is only its own once the device has finished
 * it. With timing on, each phase that ends with arrays on an asynchronous device ends with {@link
 * #boundary}: one read-back of a single element, which waits for the device's stream to drain
 * (libtorch runs one stream per device, so the element's read waits for every kernel launched
 * before it). With timing off nothing is added: a GPU then overlaps the host's launches of one
 * phase with the device's work of the previous one, which is the faster run, with an untrue split.
 *
 * <p>The statistics need no boundary of their own: a tile's reduction ends with its one read of the
 * sums to the host (see {@code org.stiffness.stats.tiles.TileReducer}), which waits already.
 */
public final class PhaseTiming {
  private static final PhaseTiming OFF =
      new PhaseTiming(false, Device::isGpu, PhaseTiming::readOneElement);

  private final boolean on;
  private final Predicate<Device> asynchronous;
  private final Consumer<NDArray> readBack;

  private PhaseTiming(boolean on, Predicate<Device> asynchronous, Consumer<NDArray> readBack) {
    this.on = on;
    this.asynchronous = asynchronous;
    this.readBack = readBack;
  }

  /** No boundaries: the phases' times are launch times on a GPU (the default, and the fastest). */
  public static PhaseTiming off() {
    return OFF;
  }

  /** Timing on: a one-element read-back ends each phase on a GPU; nothing is added on a CPU. */
  public static PhaseTiming synced() {
    return of(true, Device::isGpu, PhaseTiming::readOneElement);
  }

  /**
   * Timing on or off, with the decision and the read-back given: a seam for tests, which report a
   * CPU as asynchronous and count the read-backs.
   *
   * @param on whether phases end with a boundary at all
   * @param asynchronous whether a device needs a boundary (a GPU: {@link Device#isGpu})
   * @param readBack waits for the work that made the array (the default reads one element)
   */
  public static PhaseTiming of(
      boolean on, Predicate<Device> asynchronous, Consumer<NDArray> readBack) {
    return new PhaseTiming(
        on,
        Objects.requireNonNull(asynchronous, "asynchronous"),
        Objects.requireNonNull(readBack, "readBack"));
  }

  /** Whether the phases are timed (boundaries are added where the device is asynchronous). */
  public boolean on() {
    return on;
  }

  /**
   * Ends a phase whose last result is {@code last}: with timing on and {@code last} on an
   * asynchronous device, waits for the device to finish making it; otherwise does nothing.
   */
  public void boundary(NDArray last) {
    if (on && last != null && asynchronous.test(last.getDevice())) {
      readBack.accept(last);
    }
  }

  /**
   * Copies one element of {@code array} to the host (nothing for an empty array): 1 to 8 bytes, the
   * cost of one synchronous copy (about 10 to 20 microseconds on a GPU, plus the wait itself).
   */
  static void readOneElement(NDArray array) {
    if (array.size() == 0) {
      return;
    }
    if (array.getShape().dimension() == 0) {
      array.toByteBuffer(); // a scalar is its own one element
      return;
    }
    try (NDArray one = array.get(new long[array.getShape().dimension()])) {
      one.toByteBuffer();
    }
  }
}
