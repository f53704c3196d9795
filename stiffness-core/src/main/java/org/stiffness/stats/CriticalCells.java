package org.stiffness.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * Which float32 distances may lie on the other side of a critical value than their reference: a
 * table of marked cells of width {@code 1 / scale}, so that one lookup per pair replaces a
 * comparison with every critical value (21 bin edges and 2 window ends by default: 46 passes over
 * the tile, against four).
 *
 * <p>Cell q holds the distances d with {@code (d + offset) * scale} in {@code [q, q + 1)}. A cell
 * is marked when it meets {@code [c - bound, c + bound]} for a critical value c, or lies partly
 * outside {@code [0, 2]} (those distances are recomputed, which clamps them). Marks are widened by
 * two cells: one for the rounding of the host's cell arithmetic, one for the device's, whose {@code
 * fl(d * scale + offset * scale)} (with {@code d * scale} exact, scale a power of two) is below
 * {@code 2^21}, so within {@code 2^-3} of the exact value and at most one cell off. Marking too
 * much costs a recomputation, never a wrong value.
 */
final class CriticalCells {
  // A cell a quarter of the bound wide marks about 1.5x the pairs an exact comparison would, in a
  // table of 4 / bound entries; capped so the device's cell arithmetic stays below 2^21.
  private static final int MAX_SCALE = 1 << 19;
  private static final int MIN_SCALE = 1 << 3;

  private final float offset;
  private final float scale;
  private final boolean[] marked;

  private CriticalCells(float offset, float scale, boolean[] marked) {
    this.offset = offset;
    this.scale = scale;
    this.marked = marked;
  }

  /**
   * @param criticalValues distances whose comparisons must be exact (read, not kept)
   * @param bound how far a float32 distance may lie from its reference, below 1/2
   * @param reach how far beyond {@code [-bound, 2 + bound]} a float32 distance may lie (the
   *     rounding of the inverse norms), below 1/4
   */
  static CriticalCells of(double[] criticalValues, double bound, double reach) {
    if (!(bound > 0 && bound < 0.5 && reach >= 0 && reach < 0.25)) {
      throw new IllegalArgumentException(
          "bound " + bound + " or reach " + reach + " too large for a table of cells");
    }
    float scale = (float) Math.max(MIN_SCALE, Math.min(MAX_SCALE, powerOfTwoAtLeast(4 / bound)));
    // Distances reach at most bound + reach beyond [0, 2]: the offset keeps every cell index
    // positive, with room for the widening.
    float offset = (float) powerOfTwoAtLeast(bound + reach + 4 / scale);
    int size = (int) ((2 + 2 * offset) * scale) + 4;
    boolean[] marked = new boolean[size];
    markCells(marked, Double.NEGATIVE_INFINITY, 0, offset, scale);
    markCells(marked, 2, Double.POSITIVE_INFINITY, offset, scale);
    for (double c : criticalValues) {
      if (c + bound >= -offset && c - bound <= 2 + offset) { // also skips NaN
        markCells(marked, c - bound, c + bound, offset, scale);
      }
    }
    return new CriticalCells(offset, scale, marked);
  }

  private static double powerOfTwoAtLeast(double x) {
    double p = Math.scalb(1.0, Math.getExponent(x));
    return p < x ? 2 * p : p;
  }

  /** Marks every cell that meets {@code [lo, hi]}, widened by two cells on each side. */
  private static void markCells(boolean[] marked, double lo, double hi, float offset, float scale) {
    double first = Math.floor((Math.max(lo, -offset) + offset) * scale) - 2;
    double last = Math.floor((Math.min(hi, 2 + offset) + offset) * scale) + 2;
    int from = (int) Math.max(0, first);
    int to = (int) Math.min(marked.length - 1, last);
    if (from <= to) {
      Arrays.fill(marked, from, to + 1, true);
    }
  }

  /** The marks, to be kept on the device where {@link #near} runs. */
  NDArray upload(NDManager manager) {
    return manager.create(marked);
  }

  /**
   * Which distances lie in a marked cell.
   *
   * @param distances float32 distances, one-dimensional, within {@code [-bound - reach, 2 + bound +
   *     reach]}
   * @param marks this table's {@link #upload}, on the distances' device
   * @return boolean array of the distances' shape, in the distances' manager; temporaries of 12
   *     bytes per distance at most while it runs
   */
  NDArray near(NDArray distances, NDArray marks) {
    if (distances.getShape().dimension() != 1) {
      throw new IllegalArgumentException(
          "cells look up one-dimensional distances, got shape " + distances.getShape());
    }
    NDArray cell;
    try (NDArray position = distances.mul(scale).addi(offset * scale)) {
      cell = position.toType(DataType.INT64, false); // the index type of libtorch's gather
      CosineTileDistances.moment.accept("peak");
    }
    try (cell) {
      // gather, not take: about twice as fast on a CPU for a million lookups (measured).
      NDArray near = marks.gather(cell, 0);
      CosineTileDistances.moment.accept("peak");
      near.attach(distances.getManager());
      return near;
    }
  }
}
