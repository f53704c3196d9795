package org.stiffness.stats.tiles;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.GradientCoherence;
import org.stiffness.stats.PairTerms;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.stats.TileDistances;

/**
 * Reduces Gram tiles to their {@link StatisticsSums} with NDArray operations where the tile lies,
 * the same code on a CPU and on a GPU: per row chunk of the tile, the pairs' cosines, signs and
 * uncertain signs ({@link PairTerms}), the class cells' sums as products with one-hot class
 * matrices ({@link WithinClass}), the per-row critical-length sums, and the sums by distance bin
 * through each row's slot order ({@link SlotSums}); the distances and everything else that does not
 * change between checkpoints come from the tile's {@link TileGeometry}, kept in a {@link
 * DistanceCache} when the spec has one. Per tile, one upload ({@link DeviceUploads}) and one read
 * ({@link DeviceReads}): the tile's sums as one float64 vector in the wire order of {@link
 * StatisticsSums}.
 *
 * <p>Deterministic: the same tile, spec and machine give the same bits, so tiles reduced in
 * separate processes add up to exactly the one-process statistics.
 */
public final class TileReducer {
  /** The reducer's name and version in configurations and hashes. */
  public static final String NAME = "ndarray/2";

  /**
   * Device bytes the reduction holds per pair of a row chunk: the float64 copy of the entries and
   * their cosines, the uncertain-sign bounds, the per-pair critical-length terms and a slot order's
   * gathered and running sums, freed as soon as they are used (at most about 40 live at once).
   */
  public static final long BYTES_PER_PAIR = 64;

  /** Device bytes of one row chunk's temporaries on a CPU (and at least on a GPU). */
  public static final long CPU_CHUNK_BYTES = 16L << 20;

  /** At most this many bytes of one row chunk's temporaries on a GPU. */
  public static final long GPU_CHUNK_BYTES = 1L << 30;

  /**
   * Device bytes of a row chunk's temporaries for a device and memory budget. On a CPU, 16 MiB (256
   * Ki pairs): larger chunks take no less time per pair (measured 16 and 64 MiB side by side on a
   * 1024 x 1024 tile), and each of their arrays is a fresh allocation of several MiB whose page
   * faults glibc's heap does not always spare. On a GPU, where every operation is a kernel launch,
   * a sixteenth of the budget up to 1 GiB, so that a tile of 4096 x 4096 is one chunk.
   */
  public static long chunkBytes(Device device, long budget) {
    if (Device.Type.GPU.equals(device.getDeviceType())) {
      return Math.max(CPU_CHUNK_BYTES, Math.min(GPU_CHUNK_BYTES, budget / 16));
    }
    return CPU_CHUNK_BYTES;
  }

  /**
   * A test hook: called with {@code "chunk"} when a row chunk starts and {@code "peak"} where it
   * holds the most temporaries (likewise {@code "build chunk"} and {@code "build peak"} while a
   * tile's geometry is built), so that {@code TileReducerTest} can weigh the live arrays against
   * {@link #BYTES_PER_PAIR}; does nothing otherwise.
   */
  static Consumer<String> moment = where -> {};

  private final long chunkPairs;
  private final long cacheRoom;

  /**
   * A reducer with a CPU's row chunks ({@link #CPU_CHUNK_BYTES}) and no limit on a cache's room.
   */
  public TileReducer() {
    this(CPU_CHUNK_BYTES, Long.MAX_VALUE);
  }

  /**
   * @param chunkBytes device bytes of one row chunk's temporaries (at least one row is taken)
   * @param cacheRoom device bytes a spec's {@link DistanceCache} may hold beside the engine's tiles
   *     (the engine's budget less its planned peak)
   */
  public TileReducer(long chunkBytes, long cacheRoom) {
    if (chunkBytes < BYTES_PER_PAIR) {
      throw new IllegalArgumentException(
          "chunkBytes = " + chunkBytes + ", expected >= " + BYTES_PER_PAIR);
    }
    this.chunkPairs = chunkBytes / BYTES_PER_PAIR;
    this.cacheRoom = Math.max(0, cacheRoom);
  }

  /** {@link #NAME}. */
  public String name() {
    return NAME;
  }

  /**
   * @param tile the tile, on its device (valid during the call)
   * @param spec the pairing's examples, distances and options
   * @throws IllegalArgumentException when a squared gradient norm is negative or not finite, an
   *     entry of a valid pair is not finite, or a distance lies outside [0, 2] (naming the example
   *     or pair)
   */
  public StatisticsSums reduce(DeviceTile tile, StatisticsSpec spec) {
    TilePlan.Tile t = tile.tile();
    int h = t.height();
    int w = t.width();
    SumsShape shape = SumsShape.of(spec);
    double[] rowInv = TileChecks.inverseNorms("row", tile.rowSquaredNorms(), t.rowStart());
    double[] colInv = TileChecks.inverseNorms("column", tile.colSquaredNorms(), t.colStart());
    int[] self = spec.selfColumns(t);
    double[] prefix = prefix(shape, spec, t, tile, rowInv, colInv, self);
    int chunkRows = (int) Math.max(1, Math.min(h, chunkPairs / w));
    try (NDManager scope = tile.manager().newSubManager()) {
      TileInputs in = TileInputs.upload(tile, spec, rowInv, colInv, self, chunkRows, scope);
      Geometry geometry = spec.distances() == null ? null : geometry(tile, spec, in, scope);
      try {
        NDArray vector =
            new Pass(tile, spec, in, geometry == null ? null : geometry.g, scope).run();
        double[] v = DeviceReads.vector(vector);
        if (!Double.isFinite(v[0])) {
          TileChecks.requireFinite(tile, rowInv, colInv);
        }
        if (v[1] != 0) {
          if (geometry.kept) {
            spec.cache().evict(spec, t.index());
          }
          try (NDManager s = scope.newSubManager()) {
            throw TileChecks.firstBadDistance(distances(spec, t, s), t);
          }
        }
        double[] all = new double[prefix.length + v.length - 2];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(v, 2, all, prefix.length, v.length - 2);
        return StatisticsSums.fromVector(shape, t, tile.mirrored(), all);
      } finally {
        if (geometry != null && !geometry.kept) {
          geometry.g.close();
        }
      }
    }
  }

  /** A tile's geometry, and whether the cache keeps it (else it dies with the reduction). */
  private record Geometry(TileGeometry g, boolean kept) {}

  private Geometry geometry(DeviceTile tile, StatisticsSpec spec, TileInputs in, NDManager scope) {
    TilePlan.Tile t = tile.tile();
    DistanceCache cache = spec.cache();
    Device device = scope.getDevice();
    if (cache != null) {
      TileGeometry kept = cache.get(spec, t.index(), device);
      if (kept != null) {
        return new Geometry(kept, true);
      }
    }
    int nb = spec.options().bins().count();
    boolean window =
        spec.options().criticalLength().windowLo() > 0
            || spec.options().criticalLength().windowHi() < 2;
    long size = TileGeometry.bytes(t.height(), t.width(), nb, window, tile.mirrored());
    boolean keep = cache != null && cache.admits(size, cacheRoom);
    NDManager owner = keep ? cache.newEntry(device) : scope.newSubManager();
    TileGeometry g;
    try (NDManager s = scope.newSubManager()) {
      g = TileGeometry.build(distances(spec, t, s), in, spec, tile.mirrored(), owner);
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    }
    boolean kept = keep && cache.keep(spec, t.index(), g, cacheRoom);
    return new Geometry(g, kept);
  }

  /** The tile's input distances, exact at every bin edge and window end. */
  private static NDArray distances(StatisticsSpec spec, TilePlan.Tile t, NDManager scope) {
    TileDistances d = spec.distances();
    double[] edges = spec.options().bins().edges();
    double[] critical = Arrays.copyOf(edges, edges.length + 2);
    critical[edges.length] = spec.options().criticalLength().windowLo();
    critical[edges.length + 1] = spec.options().criticalLength().windowHi();
    NDArray values = d.tile(t, scope, critical);
    if (!values.getShape().equals(new Shape(t.height(), t.width()))) {
      throw new IllegalArgumentException(
          "the input distances of "
              + t
              + " have shape "
              + values.getShape()
              + ", expected ("
              + t.height()
              + ", "
              + t.width()
              + ")");
    }
    return values.getDataType() == DataType.FLOAT32
        ? values
        : values.toType(DataType.FLOAT32, false);
  }

  /**
   * The {@linkplain StatisticsSums#prefixLength prefix} of a tile's sums, known on the host: the
   * considered pairs and each grouping's pair counts (valid row examples per group times valid
   * column examples per group, less the valid self-pairs), and the squared norms.
   */
  private static double[] prefix(
      SumsShape shape,
      StatisticsSpec spec,
      TilePlan.Tile t,
      DeviceTile tile,
      double[] rowInv,
      double[] colInv,
      int[] self) {
    double[] v = new double[StatisticsSums.prefixLength(shape, t.height(), t.width())];
    long validRows = 0;
    long validCols = 0;
    for (double x : rowInv) {
      validRows += x > 0 ? 1 : 0;
    }
    for (double x : colInv) {
      validCols += x > 0 ? 1 : 0;
    }
    long validSelf = 0;
    for (int i = 0; i < self.length; i++) {
      validSelf += self[i] >= 0 && rowInv[i] > 0 && colInv[self[i]] > 0 ? 1 : 0;
    }
    int at = 0;
    v[at++] = validRows * validCols - validSelf;
    int[][] rowGroups = spec.groupIndices(spec.rows());
    int[][] colGroups = spec.groupIndices(spec.cols());
    for (int g = 0; g < shape.groupings(); g++) {
      int k = shape.groups(g);
      long[] perRow = new long[k];
      long[] perCol = new long[k];
      for (int i = 0; i < rowInv.length; i++) {
        perRow[rowGroups[g][t.rowStart() + i]] += rowInv[i] > 0 ? 1 : 0;
      }
      for (int j = 0; j < colInv.length; j++) {
        perCol[colGroups[g][t.colStart() + j]] += colInv[j] > 0 ? 1 : 0;
      }
      long[] cells = new long[k * k];
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          cells[a * k + b] = perRow[a] * perCol[b];
        }
      }
      for (int i = 0; i < self.length; i++) {
        int j = self[i];
        if (j >= 0 && rowInv[i] > 0 && colInv[j] > 0) {
          cells[rowGroups[g][t.rowStart() + i] * k + colGroups[g][t.colStart() + j]]--;
        }
      }
      for (long c : cells) {
        v[at++] = c;
      }
    }
    System.arraycopy(tile.rowSquaredNorms(), 0, v, at, t.height());
    at += t.height();
    System.arraycopy(tile.colSquaredNorms(), 0, v, at, t.width());
    return v;
  }

  /** One tile's pass over its row chunks, and the vector it reads back. */
  private static final class Pass {
    private final DeviceTile tile;
    private final StatisticsSpec spec;
    private final TileInputs in;
    private final TileGeometry geometry;
    private final NDManager scope;
    private final boolean distances;
    private final boolean mirrored;
    private final boolean sign;
    private final int groupings;

    private NDArray nonFinite;
    private NDArray uncertain;
    private final NDArray[] signCells;
    private final NDArray[] cosCells;
    private NDArray slotSigns;
    private NDArray slotCosines;
    private final List<NDArray> rowTerms = new ArrayList<>();
    private NDArray colTerms;
    private final boolean coherence;
    private NDArray cellGramSums;
    private final List<NDArray> minima = new ArrayList<>();

    Pass(
        DeviceTile tile,
        StatisticsSpec spec,
        TileInputs in,
        TileGeometry geometry,
        NDManager scope) {
      this.tile = tile;
      this.spec = spec;
      this.in = in;
      this.geometry = geometry;
      this.scope = scope;
      this.distances = geometry != null;
      this.mirrored = tile.mirrored();
      this.sign = spec.options().criticalLength().measure() == StiffnessMeasure.SIGN;
      this.groupings = in.groupSizes.length;
      this.signCells = new NDArray[groupings];
      this.cosCells = new NDArray[groupings];
      this.coherence = spec.symmetric();
    }

    NDArray run() {
      int h = in.height;
      int rows = in.chunkRows();
      for (int c = 0, r0 = 0; r0 < h; c++, r0 += rows) {
        try (NDManager cs = scope.newSubManager()) {
          chunk(c, new NDIndex(r0 + ":" + Math.min(h, r0 + rows)), cs);
        }
      }
      return vector();
    }

    /**
     * Adds a chunk's sums; what is kept moves to the tile's scope, the rest dies with {@code cs}.
     */
    private void chunk(int c, NDIndex rows, NDManager cs) {
      moment.accept("chunk");
      NDArray k = tile.values().get(cs, rows);
      NDArray rowInv = in.rowInverseNorms.get(cs, rows);
      NDArray scaled;
      if (coherence) {
        // The entries in float64 for their class sums, then scaled in place for the cosines (a
        // float times a double is the double product either way: the same bits as
        // PairTerms.scaledEntries, one array fewer).
        scaled = k.toType(DataType.FLOAT64, false);
        if (in.hasSelfPairs(c)) {
          NDIndex selfPairs = in.selfPairs(c, cs);
          // Zeroed for the class sums: their finiteness is checked here, not in the sum below.
          nonFinite = add(nonFinite, scaled.get(selfPairs).sum());
          scaled.set(selfPairs, in.zero);
        }
        // The chunk's class cells hold every other valid pair's entry: a non-finite entry makes
        // their total inf or NaN, and the host then looks (one pass fewer than summing them all).
        nonFinite = add(nonFinite, cellGramSums(rows, scaled, cs).sum());
        scaled.muli(rowInv).muli(in.colInverseNorms);
      } else {
        scaled = PairTerms.scaledEntries(k, rowInv, in.colInverseNorms);
        // A non-finite entry makes this sum inf or NaN; so can a finite entry far beyond its
        // norms' product, or a non-finite one of an invalid pair: the host then looks.
        nonFinite = add(nonFinite, scaled.sum());
      }
      NDArray c32;
      try (scaled) {
        c32 = PairTerms.cosine(scaled, in.one32, in.minusOne32);
      }
      NDArray cosines = c32.toType(DataType.FLOAT64, false);
      if (coherence) {
        minima(c, rows, k, c32, cs);
      }
      c32.close();
      try (NDArray magnitude = k.abs()) {
        if (in.hasSelfPairs(c)) {
          magnitude.set(in.selfPairs(c, cs), in.positiveInfinity32);
        }
        try (NDArray bounds = PairTerms.errorBounds(in.rowBounds.get(cs, rows), in.colErrorScales);
            NDArray uncertainSigns = PairTerms.uncertainSign(magnitude, bounds)) {
          moment.accept("peak");
          uncertain = add(uncertain, uncertainSigns.sum().toType(DataType.FLOAT64, false));
        }
      }
      NDArray signs = PairTerms.sign(k);
      if (!in.allValid) {
        signs = signs.mul(valid(rows, cs));
      }
      if (in.hasSelfPairs(c)) {
        NDIndex selfPairs = in.selfPairs(c, cs);
        cosines.set(selfPairs, in.zero);
        signs.set(selfPairs, in.zero32);
      }
      NDArray signsByClass = null;
      NDArray cosinesByClass = null;
      for (int g = 0; g < groupings; g++) {
        NDArray rowOneHot = in.rowOneHots[g].get(cs, rows);
        NDArray bySign = signs.matMul(in.colOneHots32[g]).toType(DataType.FLOAT64, false);
        NDArray byCos = cosines.matMul(in.colOneHots[g]);
        signCells[g] = add(signCells[g], rowOneHot.transpose().matMul(bySign));
        cosCells[g] = add(cosCells[g], rowOneHot.transpose().matMul(byCos));
        if (g == 0) {
          signsByClass = bySign;
          cosinesByClass = byCos;
        }
      }
      if (!distances) {
        return;
      }
      NDArray order = geometry.order.get(cs, rows).toType(DataType.INT64, false);
      NDArray[] reads = geometry.slotReads(rows, in, cs);
      slotSigns = add(slotSigns, SlotSums.of(signs, order, reads[0], reads[1], cs));
      slotCosines = add(slotCosines, SlotSums.of(cosines, order, reads[0], reads[1], cs));
      order.close();
      NDArray classes = in.rowClasses.get(cs, rows);
      NDArray oneHot = in.colOneHots[0];
      NDArray y = sign ? signs.toType(DataType.FLOAT64, false) : cosines;
      NDArray fitted = geometry.fitMask == null ? y : y.mul(geometry.fitMask.get(cs, rows));
      NDArray byClass =
          geometry.fitMask == null ? (sign ? signsByClass : cosinesByClass) : fitted.matMul(oneHot);
      NDArray[] ys = WithinClass.rows(byClass, classes);
      NDArray[] dys;
      NDArray[] yys;
      NDArray[] colYs = null;
      NDArray[] colDys = null;
      NDArray[] colYys = null;
      NDArray rowOneHot = in.rowOneHots[0].get(cs, rows);
      try (NDArray d = geometry.fittedDistances.get(cs, rows);
          NDArray dy = d.mul(fitted)) {
        moment.accept("peak");
        dys = WithinClass.rows(dy.matMul(oneHot), classes);
        if (mirrored) {
          colYs = WithinClass.columns(fitted, rowOneHot, in.colClassesRow, cs);
          colDys = WithinClass.columns(dy, rowOneHot, in.colClassesRow, cs);
        }
      }
      // y y of the fitted pairs in place of the fitted values (or of y itself, which is then
      // no longer needed: the slot sums above took the cosines and signs).
      NDArray yy = fitted.muli(y);
      yys = WithinClass.rows(yy.matMul(oneHot), classes);
      if (mirrored) {
        colYys = WithinClass.columns(yy, rowOneHot, in.colClassesRow, cs);
      }
      NDArray terms = NDArrays.stack(new NDList(ys[0], dys[0], yys[0], ys[1], dys[1], yys[1]), 1);
      terms.attach(scope);
      rowTerms.add(terms);
      if (mirrored) {
        NDArray cols =
            NDArrays.stack(
                new NDList(colYs[0], colDys[0], colYys[0], colYs[1], colDys[1], colYys[1]), 1);
        colTerms = add(colTerms, cols);
      }
    }

    /**
     * Adds the chunk's class cells' sums of its entries (float64 {@code (n, w)}, zero at the
     * self-pairs): the off-diagonal part of the classes' sums of K for the coherence.
     *
     * @return the chunk's cells, {@code (k, k)}
     */
    private NDArray cellGramSums(NDIndex rows, NDArray entries, NDManager cs) {
      NDArray counted =
          in.allValid ? entries : NDArrays.where(validPairs(rows, cs), entries, in.zero);
      NDArray byClass = counted.matMul(in.colOneHots[0]);
      NDArray cells = in.rowOneHots[0].get(cs, rows).transpose().matMul(byClass);
      cellGramSums = add(cellGramSums, cells);
      return cells;
    }

    /**
     * Adds the chunk's rows' smallest cosine and entry over all their pairs and within class, and
     * the tile columns that give them (the first of equal values), as {@code (n, 2 MINIMA)} float64
     * rows in {@link StatisticsSums}' wire order. Self-pairs and invalid pairs count as +inf: no
     * minimum.
     *
     * @param c32 the chunk's float32 cosines, changed here
     */
    private void minima(int c, NDIndex rows, NDArray k, NDArray c32, NDManager cs) {
      NDArray valid = in.allValid ? null : validPairs(rows, cs);
      NDArray same = in.rowClasses.get(cs, rows).eq(in.colClassesRow);
      // A copy only where self-pairs are set to +inf below; the tile's entries stay as they are.
      NDArray entries = in.hasSelfPairs(c) ? k.duplicate() : k;
      NDArray[] values = new NDArray[GradientCoherence.MINIMA];
      NDArray[] columns = new NDArray[GradientCoherence.MINIMA];
      int q = 0;
      for (NDArray x : new NDArray[] {c32, entries}) {
        if (in.hasSelfPairs(c)) {
          x.set(in.selfPairs(c, cs), in.positiveInfinity32);
        }
        NDArray counted = valid == null ? x : NDArrays.where(valid, x, in.positiveInfinity32);
        rowMinimum(counted, values, columns, q++);
        try (NDArray within = NDArrays.where(same, counted, in.positiveInfinity32)) {
          rowMinimum(within, values, columns, q++);
        }
      }
      NDList parts = new NDList();
      for (NDArray v : values) {
        parts.add(v);
      }
      for (NDArray j : columns) {
        parts.add(j);
      }
      NDArray rowsMinima = NDArrays.concat(parts, 1);
      rowsMinima.attach(scope);
      minima.add(rowsMinima);
    }

    /** Each row's smallest value of {@code x} and its first column, float64 {@code (n, 1)}. */
    private static void rowMinimum(NDArray x, NDArray[] values, NDArray[] columns, int q) {
      NDArray at = x.argMin(1).reshape(-1, 1);
      values[q] = x.gather(at, 1).toType(DataType.FLOAT64, false);
      columns[q] = at.toType(DataType.FLOAT64, false);
    }

    /** Whether each pair of the chunk is of two valid examples, boolean {@code (n, w)}. */
    private NDArray validPairs(NDIndex rows, NDManager cs) {
      return valid(rows, cs).gt(in.zero32);
    }

    /**
     * A view of an array of the geometry in the tile's scope: what is derived from it then dies
     * with the tile, not with a cached geometry (which would keep it for the whole run).
     */
    private NDArray local(NDArray a) {
      return a.get(scope, new NDIndex());
    }

    /** 1 for a pair of two valid examples, float32 {@code (n, w)}. */
    private NDArray valid(NDIndex rows, NDManager cs) {
      return in.rowValid.get(cs, rows).mul(in.colValid);
    }

    /** {@code sum + part}, kept in the tile's scope (a null sum is zero). */
    private NDArray add(NDArray sum, NDArray part) {
      NDArray result = sum == null ? part : sum.add(part);
      result.attach(scope);
      return result;
    }

    /** The checks, then the suffix of the tile's sums in {@link StatisticsSums}' wire order. */
    private NDArray vector() {
      NDList parts = new NDList();
      parts.add(nonFinite.reshape(1));
      WeightSums weights = null;
      if (distances) {
        weights =
            in.allValid
                ? geometry.inputSums
                : WeightSums.of(in, geometry, true, null, mirrored, scope);
        parts.add(local(geometry.badDistances).reshape(1));
      } else {
        parts.add(in.zero.reshape(1));
      }
      parts.add(uncertain.reshape(1));
      for (int g = 0; g < groupings; g++) {
        parts.add(signCells[g].reshape(-1));
        parts.add(cosCells[g].reshape(-1));
      }
      if (distances) {
        int nb = spec.options().bins().count();
        NDArray counts = local(weights.counts);
        String out = nb + ":" + (nb + 1);
        String outWithin = (2 * nb + 1) + ":" + (2 * nb + 2);
        String between = "0:" + nb;
        String within = (nb + 1) + ":" + (2 * nb + 1);
        parts.add(counts.get(out).add(counts.get(outWithin)));
        parts.add(local(weights.ranges));
        for (NDArray perSlot : new NDArray[] {counts, slotSigns, slotCosines}) {
          parts.add(perSlot.get(between).add(perSlot.get(within)));
        }
        for (NDArray perSlot : new NDArray[] {counts, slotSigns, slotCosines}) {
          parts.add(perSlot.get(within));
        }
        NDArray ys = NDArrays.concat(new NDList(rowTerms), 0);
        NDArray rowWeights = local(weights.rows);
        parts.add(criticalLengthSums(rowWeights, ys, 0).reshape(-1));
        parts.add(criticalLengthSums(rowWeights, ys, 3).reshape(-1));
        if (mirrored) {
          NDArray colWeights = local(weights.cols);
          parts.add(criticalLengthSums(colWeights, colTerms, 0).reshape(-1));
          parts.add(criticalLengthSums(colWeights, colTerms, 3).reshape(-1));
        }
      }
      if (coherence) {
        parts.add(cellGramSums.reshape(-1));
        parts.add(NDArrays.concat(new NDList(minima), 0).reshape(-1));
      }
      return NDArrays.concat(parts, 0);
    }

    /**
     * {@code (n, 6)} critical-length sums in {@code RowStatistics}' column order (n, d, y, d^2, d
     * y, y^2), from the weight sums {@code (n, d, d^2)} and entry sums {@code (y, d y, y^2)}
     * starting at column {@code from} (0: all pairs, 3: within class).
     */
    private static NDArray criticalLengthSums(NDArray weights, NDArray entries, int from) {
      return NDArrays.stack(
          new NDList(
              weights.get(":, " + from),
              weights.get(":, " + (from + 1)),
              entries.get(":, " + from),
              weights.get(":, " + (from + 2)),
              entries.get(":, " + (from + 1)),
              entries.get(":, " + (from + 2))),
          1);
    }
  }
}
