package org.stiffness.stats.tiles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.DistanceBins;
import org.stiffness.stats.RowStatistics;
import org.stiffness.stats.StiffnessMeasure;

/**
 * Reduces a tile with NDArray operations on its device: the tile, its cosines, signs, distances and
 * masks stay there, and one float64 vector of O(N + C^2 + bins) numbers comes back. For GPUs, where
 * a pass over the tile on the host would take many times the device's time for it.
 *
 * <p>Per pair it computes what {@link HostTileReducer} computes: cosines in float64 from the fp32
 * entry and the inverse norms, clamped and rounded to float; signs; the bin of each float distance
 * from the stored edges. Sums by class are products with one-hot matrices ({@code R^T Y C}, rows
 * and columns of invalid examples zero), sums by bin a product with a one-hot of the bin index, in
 * row chunks of bounded size; all in float64, so counts and sign sums are exact integers and cosine
 * sums differ from the host's only in the order of additions.
 */
final class DeviceTileReducer {
  /**
   * Device bytes the reduction may hold per pair of a row chunk: about 30 float64 temporaries
   * (entries, cosines, signs, masks, distances, the six critical-length terms within class and over
   * all pairs, the one-hot bin matrix), so a chunk of rows takes {@link #CHUNK_BYTES} at most.
   */
  static final long BYTES_PER_PAIR = 256;

  /** Device bytes of one row chunk's temporaries. */
  static final long CHUNK_BYTES = 128L << 20;

  public String name() {
    return "device";
  }

  public StatisticsSums reduce(DeviceTile tile, StatisticsSpec spec) {
    TilePlan.Tile t = tile.tile();
    int h = t.height();
    int w = t.width();
    boolean distances = spec.distances() != null;
    DistanceBins bins = spec.options().bins();
    int[] sizes = spec.groupSizes();
    StatisticsSums sums = StatisticsSums.tile(SumsShape.of(spec), t, tile.mirrored());
    System.arraycopy(tile.rowSquaredNorms(), 0, sums.rowSquaredNorms, 0, h);
    System.arraycopy(tile.colSquaredNorms(), 0, sums.colSquaredNorms, 0, w);
    Context c = new Context();
    c.tile = tile;
    c.spec = spec;
    c.rowInv = HostTileReducer.inverseNorms("row", tile.rowSquaredNorms(), t.rowStart());
    c.colInv = HostTileReducer.inverseNorms("column", tile.colSquaredNorms(), t.colStart());
    c.self = spec.selfColumns(t);
    c.rowGroups = spec.groupIndices(spec.rows());
    c.colGroups = spec.groupIndices(spec.cols());
    c.sizes = sizes;
    c.bins = bins;
    c.distances = distances;
    c.useSign = spec.options().criticalLength().measure() == StiffnessMeasure.SIGN;
    c.relativeError = tile.relativeError();
    PairCounts.fill(sums, c.rowInv, c.colInv, c.self, c.rowGroups, c.colGroups, t);

    try (NDManager m = tile.manager().newSubManager()) {
      c.colInvArray = m.create(c.colInv, new Shape(1, w));
      c.colValid = c.colInvArray.gt(0).toType(DataType.FLOAT64, false);
      c.colErr = m.create(tile.colErrorScale(), new Shape(1, w));
      c.colLabels = m.create(slice(c.colGroups[0], t.colStart(), w), new Shape(1, w));
      c.colOneHots = new NDArray[sizes.length];
      for (int g = 0; g < sizes.length; g++) {
        c.colOneHots[g] = oneHot(m, c.colGroups[g], t.colStart(), w, sizes[g], c.colInv, 0);
      }
      if (distances) {
        NDArray d = spec.distances().tile(t, m);
        requireShape(d, t);
        c.d = d;
      }
      int rows = (int) Math.max(1, Math.min(h, CHUNK_BYTES / (BYTES_PER_PAIR * w)));
      // Chunks are combined on the device in row order (deterministic), and copied back once.
      NDArray additive = null;
      NDArray ranges = null;
      NDArray colTerms = null;
      NDList rowTerms = new NDList();
      for (int from = 0; from < h; from += rows) {
        // A chunk's temporaries die with it; what is kept moves to the tile's scope.
        try (NDManager scope = m.newSubManager()) {
          Chunk chunk = chunk(c, scope, from, Math.min(h, from + rows));
          additive = kept(m, additive == null ? chunk.additive() : additive.add(chunk.additive()));
          if (distances) {
            ranges =
                kept(
                    m,
                    ranges == null
                        ? chunk.ranges()
                        : NDArrays.concat(
                                new NDList(
                                    NDArrays.minimum(
                                        ranges.get("0::2"), chunk.ranges().get("0::2")),
                                    NDArrays.maximum(
                                        ranges.get("1::2"), chunk.ranges().get("1::2"))))
                            .reshape(2, 2)
                            .transpose()
                            .reshape(-1));
            rowTerms.add(kept(m, chunk.rowTerms()));
            if (chunk.colTerms() != null) {
              colTerms =
                  kept(m, colTerms == null ? chunk.colTerms() : colTerms.add(chunk.colTerms()));
            }
          }
        }
      }
      NDList out = new NDList(additive);
      if (distances) {
        out.add(ranges);
        out.addAll(rowTerms);
        if (colTerms != null) {
          out.add(colTerms);
        }
      }
      double[] v = NDArrays.concat(out).toDoubleArray();
      unpack(v, sums, sizes, distances ? bins.count() : 0, distances, tile.mirrored(), h, w, rows);
    }
    return sums;
  }

  private static NDArray kept(NDManager m, NDArray a) {
    a.attach(m);
    return a;
  }

  /** What a tile's reduction reads, gathered once. */
  private static final class Context {
    DeviceTile tile;
    StatisticsSpec spec;
    double[] rowInv;
    double[] colInv;
    int[] self;
    int[][] rowGroups;
    int[][] colGroups;
    int[] sizes;
    DistanceBins bins;
    boolean distances;
    boolean useSign;
    double relativeError;
    NDArray colInvArray;
    NDArray colValid;
    NDArray colErr;
    NDArray colLabels;
    NDArray[] colOneHots;
    NDArray d;
  }

  /**
   * A row chunk's results on the device: {@code additive} (the uncertain count, per grouping the
   * sign and cosine sums, per bin the six sums), {@code ranges} (smallest and largest fitted
   * distance over all pairs, then within class), {@code rowTerms} (its rows' critical-length sums,
   * {@code (rows, 6)} over all pairs then within class) and, for a mirrored tile, {@code colTerms}
   * (the columns' likewise, added over chunks).
   */
  private record Chunk(NDArray additive, NDArray ranges, NDArray rowTerms, NDArray colTerms) {}

  private static Chunk chunk(Context c, NDManager m, int from, int to) {
    TilePlan.Tile t = c.tile.tile();
    int h = to - from;
    int w = t.width();
    NDArray rowInv = m.create(java.util.Arrays.copyOfRange(c.rowInv, from, to), new Shape(h, 1));
    NDArray rowValid = rowInv.gt(0).toType(DataType.FLOAT64, false);
    // W: 1 for a valid pair that is not a self-pair.
    NDArray weight = rowValid.mul(c.colValid);
    int[] self = java.util.Arrays.copyOfRange(c.self, from, to);
    if (hasSelfPairs(self)) {
      weight = weight.mul(notSelf(m, self, w));
    }
    NDArray k = c.tile.values().get(m, new NDIndex(from + ":" + to));
    NDArray k64 = k.toType(DataType.FLOAT64, false);
    // PairStiffness's cosine: (K * |g_i|^-1) * |g_j|^-1 in double, clamped, stored as float.
    NDArray cos =
        k64.mul(rowInv)
            .mul(c.colInvArray)
            .clip(-1, 1)
            .toType(DataType.FLOAT32, false)
            .toType(DataType.FLOAT64, false)
            .mul(weight);
    if (!Double.isFinite(cos.sum().getDouble())) {
      throw firstNotFinite(c.tile, c.rowInv, c.colInv);
    }
    NDArray sign = k.sign().toType(DataType.FLOAT64, false).mul(weight);
    double[] rowBound = new double[h];
    for (int i = 0; i < h; i++) {
      rowBound[i] = c.relativeError * c.tile.rowErrorScale()[from + i];
    }
    NDArray bound = m.create(rowBound, new Shape(h, 1)).mul(c.colErr);
    NDList out = new NDList();
    out.add(k64.abs().lte(bound).toType(DataType.FLOAT64, false).mul(weight).sum().reshape(1));
    for (int g = 0; g < c.sizes.length; g++) {
      NDArray r = oneHot(m, c.rowGroups[g], t.rowStart() + from, h, c.sizes[g], c.rowInv, from);
      NDArray rt = r.transpose();
      out.add(rt.matMul(sign.matMul(c.colOneHots[g])).reshape(-1));
      out.add(rt.matMul(cos.matMul(c.colOneHots[g])).reshape(-1));
    }
    if (!c.distances) {
      return new Chunk(NDArrays.concat(out), null, null, null);
    }
    NDArray d64 = c.d.get(m, new NDIndex(from + ":" + to)).toType(DataType.FLOAT64, false);
    if (!d64.gte(0).logicalAnd(d64.lte(2)).all().getBoolean()) {
      throw firstBadDistance(c.d, t);
    }
    NDArray rowLabels = m.create(slice(c.rowGroups[0], t.rowStart() + from, h), new Shape(h, 1));
    NDArray same = rowLabels.eq(c.colLabels).toType(DataType.FLOAT64, false);
    out.add(binSums(d64, c.bins, weight, sign, cos, same));
    NDArray y = c.useSign ? sign : cos;
    double lo = c.spec.options().criticalLength().windowLo();
    double hi = c.spec.options().criticalLength().windowHi();
    NDArray fitted =
        d64.gte(lo).logicalAnd(d64.lte(hi)).toType(DataType.FLOAT64, false).mul(weight);
    NDArray fittedWithin = fitted.mul(same);
    NDArray all = moments(fitted, d64, y); // (6, h, w)
    NDArray within = moments(fittedWithin, d64, y);
    NDArray ranges = NDArrays.concat(new NDList(range(d64, fitted), range(d64, fittedWithin)));
    NDArray rowTerms =
        NDArrays.concat(
            new NDList(
                all.sum(new int[] {2}).transpose().reshape(-1), // (h, 6)
                within.sum(new int[] {2}).transpose().reshape(-1)));
    NDArray colTerms = null;
    if (c.tile.mirrored()) {
      colTerms =
          NDArrays.concat(
              new NDList(
                  all.sum(new int[] {1}).transpose().reshape(-1), // (w, 6)
                  within.sum(new int[] {1}).transpose().reshape(-1)));
    }
    return new Chunk(NDArrays.concat(out), ranges, rowTerms, colTerms);
  }

  /**
   * {@code (bins + 1, 6)} flattened: per bin (outside the bins last) W, W sign, W cos, then within.
   */
  private static NDArray binSums(
      NDArray d64, DistanceBins bins, NDArray weight, NDArray sign, NDArray cos, NDArray same) {
    int nb = bins.count();
    NDArray index = binIndex(d64, bins).reshape(-1); // in [0, nb], nb = outside the bins
    NDArray values =
        NDArrays.stack(
                new NDList(weight, sign, cos, weight.mul(same), sign.mul(same), cos.mul(same)), 2)
            .reshape(-1, 6); // (pairs, 6)
    return index.oneHot(nb + 1, DataType.FLOAT64).transpose().matMul(values).reshape(-1);
  }

  /**
   * The bin of every distance as {@link DistanceBins#indexOf}: for uniform bins by arithmetic, then
   * corrected against the edges computed as {@link DistanceBins#uniform} computes them; else by
   * counting the interior edges at or below the distance. Outside the edges: {@code count()}.
   */
  static NDArray binIndex(NDArray d, DistanceBins bins) {
    int nb = bins.count();
    double lo = bins.lo(0);
    double hi = bins.hi(nb - 1);
    NDArray index;
    if (bins.isUniform()) {
      double inverseWidth = nb / (hi - lo);
      NDArray k = d.sub(lo).mul(inverseWidth).floor().clip(0, nb - 1);
      // Edge e_k = lo + (hi - lo) * k / nb, exactly as DistanceBins.uniform makes it.
      NDArray lower = k.mul(hi - lo).div(nb).add(lo);
      k = k.sub(d.lt(lower).toType(DataType.FLOAT64, false));
      NDArray upper = k.add(1).mul(hi - lo).div(nb).add(lo);
      k = k.add(d.gte(upper).logicalAnd(k.lt(nb - 1)).toType(DataType.FLOAT64, false));
      index = k;
    } else {
      index = d.zerosLike();
      for (int e = 1; e < nb; e++) {
        index = index.add(d.gte(bins.lo(e)).toType(DataType.FLOAT64, false));
      }
    }
    // d == hi belongs to the last bin; outside [lo, hi] to none.
    index = index.add(d.eq(hi).toType(DataType.FLOAT64, false).mul(index.neg().add(nb - 1)));
    NDArray outside = d.lt(lo).logicalOr(d.gt(hi)).toType(DataType.FLOAT64, false);
    index = index.add(outside.mul(index.neg().add(nb)));
    return index.toType(DataType.INT64, false);
  }

  /** {@code (6, h, w)}: f, f d, f y, f d^2, f d y, f y^2 for the fit weights f. */
  private static NDArray moments(NDArray fitted, NDArray d, NDArray y) {
    NDArray fd = fitted.mul(d);
    NDArray fy = fitted.mul(y);
    return NDArrays.stack(new NDList(fitted, fd, fy, fd.mul(d), fd.mul(y), fy.mul(y)));
  }

  /** Smallest and largest distance among the pairs with weight > 0 (+inf, -inf if none). */
  private static NDArray range(NDArray d, NDArray weight) {
    NDArray chosen = weight.gt(0);
    NDManager m = d.getManager();
    NDArray inf = m.create(Double.POSITIVE_INFINITY);
    NDArray low = NDArrays.where(chosen, d, inf).min().reshape(1);
    NDArray high = NDArrays.where(chosen, d, inf.neg()).max().reshape(1);
    return NDArrays.concat(new NDList(low, high));
  }

  /**
   * Fills the tile's sums from the one vector copied back: the additive sums, the fitted ranges,
   * each chunk's row terms (all pairs, then within class) and the column terms.
   */
  private static void unpack(
      double[] v,
      StatisticsSums sums,
      int[] sizes,
      int nb,
      boolean distances,
      boolean mirrored,
      int h,
      int w,
      int chunkRows) {
    int at = 0;
    sums.uncertainSignPairs = (long) v[at++];
    for (int g = 0; g < sizes.length; g++) {
      int cells = sizes[g] * sizes[g];
      for (int c = 0; c < cells; c++) {
        sums.groupSignSums[g][c] = (long) v[at++];
      }
      System.arraycopy(v, at, sums.groupCosSums[g], 0, cells);
      at += cells;
    }
    if (!distances) {
      return;
    }
    for (int b = 0; b <= nb; b++) {
      int o = at + b * 6;
      if (b == nb) {
        sums.outOfRangePairs = (long) v[o];
        continue;
      }
      sums.allPairs[b] = (long) v[o];
      sums.allSignSums[b] = (long) v[o + 1];
      sums.allCosSums[b] = v[o + 2];
      sums.withinPairs[b] = (long) v[o + 3];
      sums.withinSignSums[b] = (long) v[o + 4];
      sums.withinCosSums[b] = v[o + 5];
    }
    at += (nb + 1) * 6;
    sums.minAll = v[at++];
    sums.maxAll = v[at++];
    sums.minWithin = v[at++];
    sums.maxWithin = v[at++];
    int width = RowStatistics.WIDTH;
    for (int from = 0; from < h; from += chunkRows) {
      int n = (Math.min(h, from + chunkRows) - from) * width;
      System.arraycopy(v, at, sums.rowsAll, from * width, n);
      System.arraycopy(v, at + n, sums.rowsWithin, from * width, n);
      at += 2 * n;
    }
    if (mirrored) {
      System.arraycopy(v, at, sums.colsAll, 0, w * width);
      System.arraycopy(v, at + w * width, sums.colsWithin, 0, w * width);
    }
  }

  /**
   * {@code (n, k)} one-hot of the groups of examples [offset, offset + n) of a side, zero for the
   * invalid ones ({@code inverseNorms[skip + i] == 0}).
   */
  private static NDArray oneHot(
      NDManager m, int[] groups, int offset, int n, int k, double[] inverseNorms, int skip) {
    double[] values = new double[n * k];
    for (int i = 0; i < n; i++) {
      if (inverseNorms[skip + i] > 0) {
        values[i * k + groups[offset + i]] = 1;
      }
    }
    return m.create(values, new Shape(n, k));
  }

  private static int[] slice(int[] a, int offset, int n) {
    return java.util.Arrays.copyOfRange(a, offset, offset + n);
  }

  private static boolean hasSelfPairs(int[] self) {
    for (int j : self) {
      if (j >= 0) {
        return true;
      }
    }
    return false;
  }

  /** {@code (h, w)}: 0 at the self-pairs, 1 elsewhere (only tiles holding one pay for this). */
  private static NDArray notSelf(NDManager m, int[] self, int w) {
    double[] mask = new double[self.length * w];
    java.util.Arrays.fill(mask, 1);
    for (int i = 0; i < self.length; i++) {
      if (self[i] >= 0) {
        mask[i * w + self[i]] = 0;
      }
    }
    return m.create(mask, new Shape(self.length, w));
  }

  private static void requireShape(NDArray d, TilePlan.Tile t) {
    if (!d.getShape().equals(new Shape(t.height(), t.width()))) {
      throw new IllegalArgumentException(
          "the input distances of "
              + t
              + " have shape "
              + d.getShape()
              + ", expected ("
              + t.height()
              + ", "
              + t.width()
              + ")");
    }
  }

  /** The error path only: the tile is copied to the host to name the first non-finite entry. */
  private static IllegalArgumentException firstNotFinite(
      DeviceTile tile, double[] rowInv, double[] colInv) {
    float[] k = tile.hostValues();
    int w = tile.tile().width();
    for (int i = 0; i < rowInv.length; i++) {
      for (int j = 0; j < w; j++) {
        if (!Float.isFinite(k[i * w + j])) {
          return HostTileReducer.notFinite(tile.tile(), i, j, k[i * w + j]);
        }
      }
    }
    return new IllegalArgumentException(tile.tile() + ": a cosine sum is not finite");
  }

  private static IllegalArgumentException firstBadDistance(NDArray d, TilePlan.Tile t) {
    float[] values = HostTileReducer.hostDistances(d, t);
    for (int p = 0; p < values.length; p++) {
      if (!(values[p] >= 0 && values[p] <= 2)) {
        return HostTileReducer.badDistance(t, p / t.width(), p % t.width(), values[p]);
      }
    }
    return new IllegalArgumentException(t + ": an input distance is outside [0, 2]");
  }
}
