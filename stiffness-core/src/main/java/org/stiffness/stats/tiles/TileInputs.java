package org.stiffness.stats.tiles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceBins;
import org.stiffness.stats.PairTerms;

/**
 * What a tile's reduction needs from the host, on the tile's device, from one upload ({@link
 * DeviceUploads}): the constants of the statistics (window, bins, 0, 1, infinities), each row and
 * column example's inverse norm, error bound, validity and groups, and the tile's self-pairs; then
 * device views of it, and the one-hot group matrices made from it on the device. Nothing of it is
 * sent again while the tile's row chunks are reduced.
 */
final class TileInputs {
  final TilePlan.Tile tile;
  final int height;
  final int width;
  final boolean allValid;
  final int[] groupSizes;

  // float64 0-d constants
  final NDArray windowLo;
  final NDArray windowHi;
  final NDArray positiveInfinity;
  final NDArray negativeInfinity;
  final NDArray zero;
  // float32 0-d constants
  final NDArray one32;
  final NDArray minusOne32;
  final NDArray zero32;
  final NDArray two32;
  final NDArray positiveInfinity32;
  final NDArray negativeInfinity32;
  // int64 0-d constants
  final NDArray slotStride;
  final NDArray excludedSlot;
  final NDArray two;
  final NDArray oneIndex;
  final NDArray zeroIndex;
  final PairTerms.BinConstants bins;

  // per example
  final NDArray rowInverseNorms; // (h, 1) f64
  final NDArray rowBounds; // (h, 1) f64, NaN for an invalid example
  final NDArray rowValid; // (h, 1) f32
  final NDArray colInverseNorms; // (1, w) f64
  final NDArray colErrorScales; // (1, w) f64, NaN for an invalid example
  final NDArray colValid; // (1, w) f32
  final NDArray rowClasses; // (h, 1) int64
  final NDArray colClassesRow; // (1, w) int64
  final NDArray[] rowOneHots; // per grouping (h, k) f64
  final NDArray[] colOneHots; // per grouping (w, k) f64
  final NDArray[] colOneHots32; // per grouping (w, k) f32

  // self-pairs, sorted by row: chunk-relative rows and tile columns, and where each chunk's start
  private final NDArray selfRows;
  private final NDArray selfCols;
  private final int[] selfChunkStart;
  private final int chunkRows;

  private TileInputs(
      DeviceTile deviceTile,
      StatisticsSpec spec,
      double[] rowInv,
      double[] colInv,
      int[] self,
      int chunkRows,
      NDManager m) {
    TilePlan.Tile t = deviceTile.tile();
    this.tile = t;
    this.height = t.height();
    this.width = t.width();
    this.chunkRows = chunkRows;
    this.groupSizes = spec.groupSizes();
    boolean valid = true;
    for (double v : rowInv) {
      valid &= v > 0;
    }
    for (double v : colInv) {
      valid &= v > 0;
    }
    this.allValid = valid;

    DistanceBins distanceBins = spec.options().bins();
    CriticalLength.Config xi = spec.options().criticalLength();
    int nb = distanceBins.count();
    int slots = 2 * (nb + 1);
    Packer p = new Packer();
    int cWindowLo = p.put(xi.windowLo());
    int cWindowHi = p.put(xi.windowHi());
    int cInf = p.put(Double.POSITIVE_INFINITY);
    int cNegInf = p.put(Double.NEGATIVE_INFINITY);
    int cZero = p.put(0);
    int cOne = p.put(1);
    int cMinusOne = p.put(-1);
    int cTwo = p.put(2);
    int cStride = p.put(nb + 1);
    int cExcluded = p.put(slots);
    // Float thresholds of the edges (PairTerms.binIndex): exact as doubles, so as floats too.
    double[] edges = distanceBins.edges();
    double[] lowerEdges = new double[nb];
    double[] upperEdges = new double[nb];
    for (int k = 0; k < nb; k++) {
      lowerEdges[k] = PairTerms.floatAtOrAbove(edges[k]);
      upperEdges[k] =
          k == nb - 1 ? Double.POSITIVE_INFINITY : PairTerms.floatAtOrAbove(edges[k + 1]);
    }
    int cLowerEdges = p.put(lowerEdges);
    int cUpperEdges = p.put(upperEdges);
    int cLowest = p.put(PairTerms.floatAtOrAbove(edges[0]));
    int cHighest = p.put(PairTerms.floatAtOrBelow(edges[nb]));
    int cInverseWidth = p.put((float) (nb / (edges[nb] - edges[0])));
    int cLastBin = p.put(nb - 1);
    int cBinCount = p.put(nb);
    int cRowInv = p.put(rowInv);
    double relativeError = deviceTile.relativeError();
    double[] rowBound = new double[height];
    double[] rowValidity = new double[height];
    for (int i = 0; i < height; i++) {
      boolean ok = rowInv[i] > 0;
      rowBound[i] =
          ok ? PairTerms.rowBound(relativeError, deviceTile.rowErrorScale()[i]) : Double.NaN;
      rowValidity[i] = ok ? 1 : 0;
    }
    int cRowBound = p.put(rowBound);
    int cRowValid = p.put(rowValidity);
    int cColInv = p.put(colInv);
    double[] colScale = new double[width];
    double[] colValidity = new double[width];
    for (int j = 0; j < width; j++) {
      boolean ok = colInv[j] > 0;
      colScale[j] = ok ? deviceTile.colErrorScale()[j] : Double.NaN;
      colValidity[j] = ok ? 1 : 0;
    }
    int cColScale = p.put(colScale);
    int cColValid = p.put(colValidity);
    int[][] rowGroups = spec.groupIndices(spec.rows());
    int[][] colGroups = spec.groupIndices(spec.cols());
    int g = groupSizes.length;
    int[] cRowGroups = new int[g];
    int[] cColGroups = new int[g];
    for (int k = 0; k < g; k++) {
      cRowGroups[k] = p.put(rowGroups[k], t.rowStart(), height);
      cColGroups[k] = p.put(colGroups[k], t.colStart(), width);
    }
    // Self-pairs in row order, rows relative to their chunk, so a chunk takes a view of them.
    int selfCount = 0;
    for (int j : self) {
      selfCount += j >= 0 ? 1 : 0;
    }
    double[] sr = new double[selfCount];
    double[] sc = new double[selfCount];
    int chunks = (height + chunkRows - 1) / chunkRows;
    selfChunkStart = new int[chunks + 1];
    int at = 0;
    for (int i = 0; i < height; i++) {
      if (self[i] >= 0) {
        sr[at] = i % chunkRows;
        sc[at] = self[i];
        at++;
      }
      if ((i + 1) % chunkRows == 0 || i == height - 1) {
        selfChunkStart[i / chunkRows + 1] = at;
      }
    }
    int cSelfRows = p.put(sr);
    int cSelfCols = p.put(sc);

    NDArray all = DeviceUploads.vector(m, p.values());
    windowLo = all.get(m, cWindowLo);
    windowHi = all.get(m, cWindowHi);
    positiveInfinity = all.get(m, cInf);
    negativeInfinity = all.get(m, cNegInf);
    zero = all.get(m, cZero);
    one32 = all.get(m, cOne).toType(DataType.FLOAT32, false);
    minusOne32 = all.get(m, cMinusOne).toType(DataType.FLOAT32, false);
    zero32 = zero.toType(DataType.FLOAT32, false);
    two32 = all.get(m, cTwo).toType(DataType.FLOAT32, false);
    positiveInfinity32 = positiveInfinity.toType(DataType.FLOAT32, false);
    negativeInfinity32 = negativeInfinity.toType(DataType.FLOAT32, false);
    slotStride = all.get(m, cStride).toType(DataType.INT64, false);
    excludedSlot = all.get(m, cExcluded).toType(DataType.INT64, false);
    two = all.get(m, cTwo).toType(DataType.INT64, false);
    oneIndex = all.get(m, cOne).toType(DataType.INT64, false);
    zeroIndex = zero.toType(DataType.INT64, false);
    bins =
        new PairTerms.BinConstants(
            slice(all, m, cLowerEdges, nb).toType(DataType.FLOAT32, false),
            slice(all, m, cUpperEdges, nb).toType(DataType.FLOAT32, false),
            all.get(m, cLowest).toType(DataType.FLOAT32, false),
            all.get(m, cHighest).toType(DataType.FLOAT32, false),
            all.get(m, cInverseWidth).toType(DataType.FLOAT32, false),
            zero32,
            all.get(m, cLastBin).toType(DataType.FLOAT32, false),
            all.get(m, cBinCount).toType(DataType.FLOAT32, false));
    rowInverseNorms = slice(all, m, cRowInv, height).reshape(height, 1);
    rowBounds = slice(all, m, cRowBound, height).reshape(height, 1);
    rowValid = slice(all, m, cRowValid, height).toType(DataType.FLOAT32, false).reshape(height, 1);
    colInverseNorms = slice(all, m, cColInv, width).reshape(1, width);
    colErrorScales = slice(all, m, cColScale, width).reshape(1, width);
    colValid = slice(all, m, cColValid, width).toType(DataType.FLOAT32, false).reshape(1, width);
    rowOneHots = new NDArray[g];
    colOneHots = new NDArray[g];
    colOneHots32 = new NDArray[g];
    NDArray rowClassIndex = null;
    NDArray colClassIndex = null;
    for (int k = 0; k < g; k++) {
      NDArray groups = m.arange(0, groupSizes[k], 1, DataType.INT64).reshape(1, groupSizes[k]);
      NDArray rows = slice(all, m, cRowGroups[k], height).toType(DataType.INT64, false);
      NDArray cols = slice(all, m, cColGroups[k], width).toType(DataType.INT64, false);
      rowOneHots[k] = rows.reshape(height, 1).eq(groups).toType(DataType.FLOAT64, false);
      colOneHots[k] = cols.reshape(width, 1).eq(groups).toType(DataType.FLOAT64, false);
      colOneHots32[k] = colOneHots[k].toType(DataType.FLOAT32, false);
      if (k == 0) {
        rowClassIndex = rows;
        colClassIndex = cols;
      }
    }
    rowClasses = rowClassIndex.reshape(height, 1);
    colClassesRow = colClassIndex.reshape(1, width);
    selfRows = slice(all, m, cSelfRows, selfCount).toType(DataType.INT64, false);
    selfCols = slice(all, m, cSelfCols, selfCount).toType(DataType.INT64, false);
  }

  /**
   * The inputs of a tile, uploaded to its device in {@code manager}.
   *
   * @param rowInv inverse norms of the tile's row examples (0: invalid), checked on the host
   * @param colInv the same for its columns
   * @param self per tile row, the tile column of the same example, or -1
   * @param chunkRows rows per chunk of the reduction
   */
  static TileInputs upload(
      DeviceTile tile,
      StatisticsSpec spec,
      double[] rowInv,
      double[] colInv,
      int[] self,
      int chunkRows,
      NDManager manager) {
    return new TileInputs(tile, spec, rowInv, colInv, self, chunkRows, manager);
  }

  private static NDArray slice(NDArray all, NDManager m, int from, int length) {
    return all.get(m, new NDIndex(from + ":" + (from + length)));
  }

  /** Whether chunk c (of {@code chunkRows} rows) holds self-pairs. */
  boolean hasSelfPairs(int chunk) {
    return selfChunkStart[chunk + 1] > selfChunkStart[chunk];
  }

  /**
   * The index of chunk c's self-pairs within the chunk's {@code (rows, width)} arrays, for an
   * in-place {@code set}; views made in {@code scope}.
   */
  NDIndex selfPairs(int chunk, NDManager scope) {
    String range = selfChunkStart[chunk] + ":" + selfChunkStart[chunk + 1];
    return new NDIndex(
        "{}, {}", selfRows.get(scope, new NDIndex(range)), selfCols.get(scope, new NDIndex(range)));
  }

  /** Rows of the chunks. */
  int chunkRows() {
    return chunkRows;
  }

  /** Values packed into one vector, each part remembered by its offset. */
  private static final class Packer {
    private double[] values = new double[64];
    private int size;

    int put(double v) {
      ensure(1);
      values[size] = v;
      return size++;
    }

    int put(double[] v) {
      ensure(v.length);
      System.arraycopy(v, 0, values, size, v.length);
      int at = size;
      size += v.length;
      return at;
    }

    int put(int[] v, int from, int length) {
      ensure(length);
      int at = size;
      for (int i = 0; i < length; i++) {
        values[size++] = v[from + i];
      }
      return at;
    }

    private void ensure(int more) {
      if (size + more > values.length) {
        values = Arrays.copyOf(values, Math.max(values.length * 2, size + more));
      }
    }

    double[] values() {
      return Arrays.copyOf(values, size);
    }
  }
}
