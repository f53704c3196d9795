package org.stiffness.stats.tiles;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.PairTerms;

/**
 * What a tile's statistics need of its input distances, which do not change from checkpoint to
 * checkpoint: made once per tile and run ({@link DistanceCache}), then read at every checkpoint.
 *
 * <ul>
 *   <li>{@code fittedDistances}: each pair's distance where the critical length fits it (in the
 *       window, not a self-pair), else 0; float32 {@code (h, w)}.
 *   <li>{@code fitMask}: 1 where fitted, float32 {@code (h, w)}; null when the window holds every
 *       distance (then the fitted pairs are the non-self ones, which the entry-dependent arrays
 *       already leave out).
 *   <li>The <em>slot</em> of each pair is its distance bin plus {@code (bins + 1)} for a pair of
 *       one class (bin {@code bins} is "outside the bins"); self-pairs get the excluded slot {@code
 *       2 (bins + 1)}. {@code order}: each row's pairs sorted by slot, {@code (h, w)}, float16 for
 *       a tile at most {@link #HALF_ORDER_WIDTH} wide (every column index is then a float16
 *       integer: 2 bytes a pair where int32 takes 4, read back as int64 a chunk at a time), int32
 *       for a wider one; {@code lastIndex}/{@code nonEmpty}: per row and slot s the position of the
 *       last pair of slots up to s in that order (clamped at 0) and whether there is one, {@code
 *       (h, S)}. A slot's sum of any per-pair value is then a gather in this order, a running sum
 *       along each row, and two reads per row: no per-pair one-hot over the bins, and DJL has no
 *       scatter-add.
 *   <li>{@code inputSums}: everything that depends on the distances and the pairs' validity only,
 *       taken with every example valid (the common case; a checkpoint with zero gradients in the
 *       tile recomputes them): pair counts per slot, per row (and, for a mirrored tile, per column)
 *       the count, sum of d and of d^2 of the fitted pairs over all pairs and within class, and the
 *       fitted distance range.
 * </ul>
 *
 * <p>Device memory: 6 bytes per pair up to {@link #HALF_ORDER_WIDTH} columns, else 8 (4 more with a
 * window that leaves pairs out) and {@code 4 S} per row, plus {@link #BUILD_BYTES_PER_PAIR} per
 * pair of a row chunk while it is built.
 */
final class TileGeometry implements AutoCloseable {
  /** Device bytes per pair of a row chunk while the geometry is built (the sort's arrays). */
  static final long BUILD_BYTES_PER_PAIR = 64;

  /**
   * The widest tile whose slot order is kept as float16: every integer up to 2048 is a float16 (DJL
   * 0.36 has no int16 conversion that works: {@code toType(INT16)} aborts the JVM).
   */
  static final int HALF_ORDER_WIDTH = 2048;

  /**
   * A test hook: the widest tile kept as float16 ({@link #HALF_ORDER_WIDTH}), lowered by {@code
   * TileReductionsAgainstOracleTest} to run the int32 order of wide tiles on small ones.
   */
  static int halfOrderWidth = HALF_ORDER_WIDTH;

  /** The type a tile of this width keeps its slot order in. */
  static DataType orderType(int width) {
    return width <= halfOrderWidth ? DataType.FLOAT16 : DataType.INT32;
  }

  final NDArray fittedDistances;
  final NDArray fitMask;
  final NDArray order;
  final NDArray ends;
  final WeightSums inputSums;

  /** Distances outside [0, 2] or NaN (float64 0-d): the reducer refuses the tile unless 0. */
  final NDArray badDistances;

  private final NDManager owner;

  private TileGeometry(
      NDManager owner,
      NDArray fittedDistances,
      NDArray fitMask,
      NDArray order,
      NDArray ends,
      WeightSums inputSums,
      NDArray badDistances) {
    this.owner = owner;
    this.fittedDistances = fittedDistances;
    this.fitMask = fitMask;
    this.order = order;
    this.ends = ends;
    this.inputSums = inputSums;
    this.badDistances = badDistances;
  }

  /** Number of slots S: every bin and "outside", within class or not. */
  static int slots(int bins) {
    return 2 * (bins + 1);
  }

  /** The device the geometry is on. */
  Device device() {
    return owner.getDevice();
  }

  /** Device bytes the geometry keeps. */
  long bytes() {
    long b = 0;
    for (NDArray a : new NDArray[] {fittedDistances, fitMask, order, ends}) {
      b += a == null ? 0 : a.getShape().size() * a.getDataType().getNumOfBytes();
    }
    return b + inputSums.bytes();
  }

  /**
   * Device bytes a geometry of these dimensions keeps, known before it is built (for a cache's
   * decision whether to keep it).
   */
  static long bytes(int height, int width, int bins, boolean window, boolean mirrored) {
    long pairs = (long) height * width;
    long perPair = 4 + orderType(width).getNumOfBytes() + (window ? 4 : 0);
    return pairs * perPair
        + 4L * height * slots(bins)
        + WeightSums.bytes(height, width, slots(bins), mirrored);
  }

  /**
   * The row chunk's {@code [last index (int64), non-empty (float64)]} of its slots, {@code (n, S)}.
   */
  NDArray[] slotReads(NDIndex rows, TileInputs in, NDManager cs) {
    NDArray end = ends.get(cs, rows).toType(DataType.INT64, false);
    NDArray lastIndex = end.sub(in.oneIndex).maximum(in.zeroIndex);
    NDArray nonEmpty = end.gt(in.zeroIndex).toType(DataType.FLOAT64, false);
    return new NDArray[] {lastIndex, nonEmpty};
  }

  /**
   * Builds a tile's geometry in {@code owner} (which it then owns and closes).
   *
   * @param distances the tile's input distances, float32 {@code (h, w)}
   * @param in the tile's inputs
   * @param mirrored whether the tile stands for its transpose (column sums are taken too)
   */
  static TileGeometry build(
      NDArray distances, TileInputs in, StatisticsSpec spec, boolean mirrored, NDManager owner) {
    int h = in.height;
    int w = in.width;
    int nb = spec.options().bins().count();
    int slots = slots(nb);
    CriticalLength.Config xi = spec.options().criticalLength();
    // Distances outside [0, 2] are refused, so a window over [0, 2] fits every pair.
    boolean wholeWindow = xi.windowLo() <= 0 && xi.windowHi() >= 2;
    NDArray fitted = owner.zeros(new Shape(h, w), DataType.FLOAT32);
    NDArray fitMask = wholeWindow ? null : owner.zeros(new Shape(h, w), DataType.FLOAT32);
    NDArray order = owner.zeros(new Shape(h, w), orderType(w));
    NDArray endsOfSlots = owner.zeros(new Shape(h, slots), DataType.INT32);
    NDArray bad = in.zero;
    NDArray counts = in.zero;
    int rows = in.chunkRows();
    try (NDManager scope = owner.newSubManager()) {
      // Marker s (key 2 s) sorts after every pair of a slot below s (key 2 slot + 1).
      NDArray markers = scope.arange(2, 2 * slots + 1, 2, DataType.INT64).reshape(1, slots);
      NDArray markerShift = scope.arange(0, slots, 1, DataType.INT64).reshape(1, slots);
      NDArray positions = scope.arange(0, w + slots, 1, DataType.INT64).reshape(1, w + slots);
      NDArray pairsEnd = scope.full(new Shape(), w, DataType.INT64);
      for (int c = 0, r0 = 0; r0 < h; c++, r0 += rows) {
        int r1 = Math.min(h, r0 + rows);
        int n = r1 - r0;
        NDIndex chunk = new NDIndex(r0 + ":" + r1);
        try (NDManager cs = scope.newSubManager()) {
          TileReducer.moment.accept("build chunk");
          NDArray d = distances.get(cs, chunk);
          NDArray slot;
          try (NDArray d64 = wholeWindow ? null : d.toType(DataType.FLOAT64, false)) {
            try (NDArray low = d.gte(in.zero32);
                NDArray high = d.lte(in.two32);
                NDArray inside = low.logicalAnd(high);
                NDArray outside = inside.logicalNot();
                NDArray count = outside.sum();
                NDArray count64 = count.toType(DataType.FLOAT64, false)) {
              bad = keep(scope, bad.add(count64));
            }
            try (NDArray bin = PairTerms.binIndex(d, spec.options().bins(), in.bins);
                NDArray bin64 = bin.toType(DataType.INT64, false);
                NDArray classes = in.rowClasses.get(cs, chunk);
                NDArray sameClass = classes.eq(in.colClassesRow);
                NDArray same = sameClass.toType(DataType.INT64, false);
                NDArray shift = same.mul(in.slotStride)) {
              slot = bin64.add(shift);
            }
            if (!wholeWindow) {
              try (NDArray inWindow = PairTerms.fitted(d64, in.windowLo, in.windowHi);
                  NDArray fit = inWindow.toType(DataType.FLOAT32, false)) {
                if (in.hasSelfPairs(c)) {
                  fit.set(in.selfPairs(c, cs), in.zero32);
                }
                fitMask.set(chunk, fit);
                try (NDArray fd = d.mul(fit)) {
                  fitted.set(chunk, fd);
                }
              }
            } else {
              try (NDArray fd = d.duplicate()) {
                if (in.hasSelfPairs(c)) {
                  fd.set(in.selfPairs(c, cs), in.zero32);
                }
                fitted.set(chunk, fd);
              }
            }
          }
          if (in.hasSelfPairs(c)) {
            slot.set(in.selfPairs(c, cs), in.excludedSlot);
          }
          // Each row's pairs sorted by slot with a marker after every slot: the markers'
          // positions say where each slot ends, then they are dropped from the order.
          NDArray all;
          try (NDArray twice = slot.mul(in.two);
              NDArray keys = twice.add(in.oneIndex);
              NDArray marks = markers.broadcast(n, slots)) {
            slot.close();
            all = NDArrays.concat(new NDList(keys, marks), 1);
          }
          NDArray sorted = all.argSort(1);
          all.close();
          NDArray ends;
          try (NDArray zeros = sorted.zerosLike();
              NDArray at = positions.broadcast(n, w + slots);
              NDArray inverse = zeros.scatter(sorted, at, 1);
              NDArray markerAt = inverse.get(new NDIndex(":, " + w + ":"))) {
            TileReducer.moment.accept("build peak");
            // pairs of slots up to s = position of marker s + 1, less the s markers before it
            ends = markerAt.sub(markerShift);
          }
          try (NDArray ends32 = ends.toType(DataType.INT32, false)) {
            endsOfSlots.set(chunk, ends32);
          }
          // Every example valid, self-pairs in the excluded slot: the counts follow from the ends.
          try (NDArray first = ends.get(new NDIndex(":, 0:1"));
              NDArray steps = ends.diff(1, 1);
              NDArray perRow = NDArrays.concat(new NDList(first, steps), 1);
              NDArray perSlot = perRow.sum(new int[] {0});
              NDArray perSlot64 = perSlot.toType(DataType.FLOAT64, false)) {
            counts = keep(scope, counts.add(perSlot64));
          }
          NDArray stripped;
          try (NDArray isPair = sorted.lt(pairsEnd)) {
            NDArray rank;
            try (NDArray pairs = isPair.toType(DataType.INT64, false);
                NDArray running = pairs.cumSum(1)) {
              rank = running.sub(in.oneIndex);
            }
            try (NDArray destination = NDArrays.where(isPair, rank, pairsEnd);
                NDArray zeros = cs.zeros(new Shape(n, w + 1), DataType.INT64)) {
              rank.close();
              stripped = zeros.scatter(destination, sorted, 1);
            }
          }
          sorted.close();
          try (NDArray kept = stripped.get(new NDIndex(":, 0:" + w));
              NDArray stored = kept.toType(order.getDataType(), false)) {
            TileReducer.moment.accept("build peak");
            order.set(chunk, stored);
          }
          stripped.close();
        }
      }
      counts.attach(owner);
      bad.attach(owner);
    }
    TileGeometry g = new TileGeometry(owner, fitted, fitMask, order, endsOfSlots, null, bad);
    WeightSums sums = WeightSums.of(in, g, false, counts, mirrored, owner);
    return new TileGeometry(owner, fitted, fitMask, order, endsOfSlots, sums, bad);
  }

  private static NDArray keep(NDManager scope, NDArray a) {
    a.attach(scope);
    return a;
  }

  @Override
  public void close() {
    owner.close();
  }
}
