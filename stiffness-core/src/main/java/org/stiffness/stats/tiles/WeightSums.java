package org.stiffness.stats.tiles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The sums of a tile that depend on which pairs count, not on the Gram entries: per slot the pairs
 * that count (valid, not self-pairs), per row (and per column of a mirrored tile) the count, sum of
 * d and sum of d^2 of the fitted pairs over all pairs and within class, and the fitted distance
 * range. With every example valid they do not change from checkpoint to checkpoint ({@link
 * TileGeometry#inputSums}); a checkpoint with zero gradients in the tile takes them again with its
 * validity.
 */
final class WeightSums {
  /** Pairs per slot, float64 {@code (S)}. */
  final NDArray counts;

  /** Per row: count, sum d, sum d^2 over all fitted pairs, then within class; {@code (h, 6)}. */
  final NDArray rows;

  /** The same per column of a mirrored tile (its transpose's rows), or null; {@code (w, 6)}. */
  final NDArray cols;

  /** Smallest and largest fitted distance over all pairs, then within class; {@code (4)}. */
  final NDArray ranges;

  private WeightSums(NDArray counts, NDArray rows, NDArray cols, NDArray ranges) {
    this.counts = counts;
    this.rows = rows;
    this.cols = cols;
    this.ranges = ranges;
  }

  /** Device bytes of the sums of a tile of these dimensions. */
  static long bytes(int height, int width, int slots, boolean mirrored) {
    return 8L * (slots + 6L * height + (mirrored ? 6L * width : 0) + 4);
  }

  long bytes() {
    long b = 0;
    for (NDArray a : new NDArray[] {counts, rows, cols, ranges}) {
      b += a == null ? 0 : a.getShape().size() * a.getDataType().getNumOfBytes();
    }
    return b;
  }

  /**
   * Takes the sums of a tile.
   *
   * @param geometry the tile's geometry (its distances, fit mask and slot order)
   * @param withValidity whether invalid examples are left out (else every example counts)
   * @param counts the pairs per slot when already known (every example valid), else null
   * @param owner where the sums go
   */
  static WeightSums of(
      TileInputs in,
      TileGeometry geometry,
      boolean withValidity,
      NDArray counts,
      boolean mirrored,
      NDManager owner) {
    NDArray fitted = geometry.fittedDistances;
    NDArray fitMask = geometry.fitMask;
    int h = in.height;
    int w = in.width;
    int rowsPerChunk = in.chunkRows();
    NDArray rows = owner.zeros(new Shape(h, 6), DataType.FLOAT64);
    NDArray cols = mirrored ? owner.zeros(new Shape(w, 6), DataType.FLOAT64) : null;
    NDArray slotCounts = counts;
    NDArray ranges;
    try (NDManager scope = owner.newSubManager()) {
      NDArray low = in.positiveInfinity32;
      NDArray high = in.negativeInfinity32;
      NDArray lowWithin = in.positiveInfinity32;
      NDArray highWithin = in.negativeInfinity32;
      NDArray perSlot = null;
      for (int c = 0, r0 = 0; r0 < h; c++, r0 += rowsPerChunk) {
        int r1 = Math.min(h, r0 + rowsPerChunk);
        NDIndex chunk = new NDIndex(r0 + ":" + r1);
        try (NDManager cs = scope.newSubManager()) {
          NDArray distances = fitted.get(cs, chunk);
          NDArray weight =
              withValidity ? in.rowValid.get(cs, chunk).mul(in.colValid) : distances.onesLike();
          if (in.hasSelfPairs(c)) {
            weight.set(in.selfPairs(c, cs), in.zero32);
          }
          if (counts == null) {
            NDArray[] reads = geometry.slotReads(chunk, in, cs);
            NDArray slots =
                SlotSums.of(
                    weight,
                    geometry.order.get(cs, chunk).toType(DataType.INT64, false),
                    reads[0],
                    reads[1],
                    cs);
            perSlot = perSlot == null ? slots : perSlot.add(slots);
            perSlot.attach(scope);
          }
          NDArray fitWeight = fitMask == null ? weight : weight.mul(fitMask.get(cs, chunk));
          NDArray f64 = fitWeight.toType(DataType.FLOAT64, false);
          NDArray d64 = distances.toType(DataType.FLOAT64, false);
          NDArray d = d64.mul(f64);
          NDArray dd = d.mul(d64);
          NDArray classes = in.rowClasses.get(cs, chunk);
          NDArray oneHot = in.colOneHots[0];
          NDArray[] n = WithinClass.rows(f64.matMul(oneHot), classes);
          NDArray[] sd = WithinClass.rows(d.matMul(oneHot), classes);
          NDArray[] sdd = WithinClass.rows(dd.matMul(oneHot), classes);
          rows.set(chunk, NDArrays.stack(new NDList(n[0], sd[0], sdd[0], n[1], sd[1], sdd[1]), 1));
          if (mirrored) {
            NDArray rowOneHot = in.rowOneHots[0].get(cs, chunk);
            NDArray[] cn = WithinClass.columns(f64, rowOneHot, in.colClassesRow, cs);
            NDArray[] cd = WithinClass.columns(d, rowOneHot, in.colClassesRow, cs);
            NDArray[] cdd = WithinClass.columns(dd, rowOneHot, in.colClassesRow, cs);
            cols.addi(NDArrays.stack(new NDList(cn[0], cd[0], cdd[0], cn[1], cd[1], cdd[1]), 1));
          }
          NDArray fit = fitWeight.gt(in.zero32);
          NDArray sameClass = classes.eq(in.colClassesRow);
          NDArray fitWithin = fit.logicalAnd(sameClass);
          low =
              keep(scope, low.minimum(NDArrays.where(fit, distances, in.positiveInfinity32).min()));
          high =
              keep(
                  scope, high.maximum(NDArrays.where(fit, distances, in.negativeInfinity32).max()));
          lowWithin =
              keep(
                  scope,
                  lowWithin.minimum(
                      NDArrays.where(fitWithin, distances, in.positiveInfinity32).min()));
          highWithin =
              keep(
                  scope,
                  highWithin.maximum(
                      NDArrays.where(fitWithin, distances, in.negativeInfinity32).max()));
        }
      }
      ranges =
          NDArrays.stack(new NDList(low, high, lowWithin, highWithin))
              .toType(DataType.FLOAT64, false);
      ranges.attach(owner);
      if (counts == null) {
        slotCounts = perSlot;
        slotCounts.attach(owner);
      }
    }
    return new WeightSums(slotCounts, rows, cols, ranges);
  }

  private static NDArray keep(NDManager scope, NDArray a) {
    a.attach(scope);
    return a;
  }
}
