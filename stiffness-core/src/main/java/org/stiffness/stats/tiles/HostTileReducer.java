package org.stiffness.stats.tiles;

import ai.djl.ndarray.NDArray;
import java.util.stream.IntStream;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.DistanceBins;
import org.stiffness.stats.RowStatistics;
import org.stiffness.stats.StiffnessMeasure;

/**
 * Reduces a tile in one fused pass in the JVM: each pair's cosine, sign, bin and critical-length
 * terms are computed and added where they are read, and rows are split over the cores in chunks of
 * a fixed size (so the sums do not depend on the thread count).
 *
 * <p>Per pair it computes exactly what {@code PairStiffness}, {@code ClassStiffness}, {@code
 * DistanceProfile} and {@code CriticalLength} compute from the whole matrices: {@code cos = (float)
 * clamp(K_ij / (|g_i| |g_j|), -1, 1)} in double, {@code sign(K_ij)}, the bin of the float distance,
 * the uncertain-sign test {@code |K_ij| <= c M_i M_j}; only the order of the float64 additions
 * differs. Class pair counts need no pass: they are the products of valid examples per class less
 * the self-pairs.
 */
final class HostTileReducer {
  /** Rows per parallel chunk: fixed, so that the order of every addition is too. */
  static final int CHUNK_ROWS = 64;

  public String name() {
    return "host";
  }

  /**
   * The host copy of the entries, kept from tile to tile (a fresh 4 MiB array costs its zeroing).
   */
  private float[] entries = new float[0];

  /** Reduces tiles one after the other (not from several threads at once). */
  public StatisticsSums reduce(DeviceTile tile, StatisticsSpec spec) {
    int size = tile.tile().height() * tile.tile().width();
    if (entries.length < size) {
      entries = new float[size];
    }
    float[] k = entries;
    tile.copyInto(k);
    float[] d =
        spec.distances() == null ? null : spec.distances().hostTile(tile.tile(), tile.manager());
    if (d != null && d.length != size) {
      throw new IllegalArgumentException(
          "the input distances of "
              + tile.tile()
              + " have "
              + d.length
              + " values, expected "
              + size);
    }
    return reduce(
        tile.tile(),
        tile.mirrored(),
        k,
        d,
        tile.rowSquaredNorms(),
        tile.colSquaredNorms(),
        tile.rowErrorScale(),
        tile.colErrorScale(),
        tile.relativeError(),
        spec);
  }

  static float[] hostDistances(NDArray distances, TilePlan.Tile tile) {
    long[] shape = distances.getShape().getShape();
    if (shape.length != 2 || shape[0] != tile.height() || shape[1] != tile.width()) {
      throw new IllegalArgumentException(
          "the input distances of "
              + tile
              + " have shape "
              + distances.getShape()
              + ", expected ("
              + tile.height()
              + ", "
              + tile.width()
              + ")");
    }
    float[] out = new float[tile.height() * tile.width()];
    distances
        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
        .toByteBuffer(true)
        .asFloatBuffer()
        .get(0, out, 0, out.length);
    return out;
  }

  /**
   * The sums of a tile given as host arrays.
   *
   * @param k row-major {@code (height, width)} entries
   * @param d row-major {@code (height, width)} input distances, or null without distances
   * @param relativeError the entries' rounding-error factor ({@code GramMatrix.relativeError()})
   */
  public static StatisticsSums reduce(
      TilePlan.Tile tile,
      boolean mirrored,
      float[] k,
      float[] d,
      double[] rowSquaredNorms,
      double[] colSquaredNorms,
      double[] rowErrorScale,
      double[] colErrorScale,
      double relativeError,
      StatisticsSpec spec) {
    int h = tile.height();
    int w = tile.width();
    boolean distances = d != null;
    if (distances != (spec.distances() != null)) {
      throw new IllegalArgumentException(
          "the spec "
              + (distances ? "has no" : "has")
              + " input distances, the tile's sums do not");
    }
    DistanceBins bins = spec.options().bins();
    int[] sizes = spec.groupSizes();
    StatisticsSums sums = StatisticsSums.tile(SumsShape.of(spec), tile, mirrored);
    System.arraycopy(rowSquaredNorms, 0, sums.rowSquaredNorms, 0, h);
    System.arraycopy(colSquaredNorms, 0, sums.colSquaredNorms, 0, w);

    Context c = new Context();
    c.tile = tile;
    c.w = w;
    c.k = k;
    c.d = d;
    c.rowInv = inverseNorms("row", rowSquaredNorms, tile.rowStart());
    c.colInv = inverseNorms("column", colSquaredNorms, tile.colStart());
    c.rowBound = new double[h];
    for (int i = 0; i < h; i++) {
      c.rowBound[i] = relativeError * rowErrorScale[i];
    }
    // Invalid columns enter the pass with weight 0 and a NaN bound (no comparison holds).
    c.colValid = new int[w];
    c.colBound = new double[w];
    for (int j = 0; j < w; j++) {
      c.colValid[j] = c.colInv[j] > 0 ? 1 : 0;
      c.colBound[j] = c.colInv[j] > 0 ? colErrorScale[j] : Double.NaN;
    }
    c.edges = bins.edges();
    c.self = spec.selfColumns(tile);
    c.sizes = sizes;
    c.rowGroups = slices(spec.groupIndices(spec.rows()), tile.rowStart(), h);
    c.colGroups = slices(spec.groupIndices(spec.cols()), tile.colStart(), w);
    c.bins = bins;
    c.binCount = sums.shape().bins();
    c.useSign = spec.options().criticalLength().measure() == StiffnessMeasure.SIGN;
    c.windowLo = spec.options().criticalLength().windowLo();
    c.windowHi = spec.options().criticalLength().windowHi();
    c.mirrored = mirrored;
    c.rowsAll = sums.rowsAll;
    c.rowsWithin = sums.rowsWithin;

    PairCounts.fill(
        sums,
        c.rowInv,
        c.colInv,
        c.self,
        spec.groupIndices(spec.rows()),
        spec.groupIndices(spec.cols()),
        tile);
    int chunks = (h + CHUNK_ROWS - 1) / CHUNK_ROWS;
    Partial[] parts = new Partial[chunks];
    IntStream.range(0, chunks)
        .parallel()
        .forEach(p -> parts[p] = pass(c, p * CHUNK_ROWS, Math.min(h, (p + 1) * CHUNK_ROWS)));
    for (Partial p : parts) {
      p.addTo(sums);
    }
    return sums;
  }

  /** What a chunk of rows sums; added into the tile's sums in chunk order. */
  private static final class Partial {
    double[][] cos;
    long[][] sign;
    // Per (bin, within class) slot 2 b + same, the last bin being "outside the bins".
    long[] slotPairs;
    long[] slotSign;
    double[] slotCos;
    double[][] colsAll;
    double[][] colsWithin;
    long uncertain;
    double minAll = Double.POSITIVE_INFINITY;
    double maxAll = Double.NEGATIVE_INFINITY;
    double minWithin = Double.POSITIVE_INFINITY;
    double maxWithin = Double.NEGATIVE_INFINITY;

    void addTo(StatisticsSums s) {
      for (int g = 0; g < cos.length; g++) {
        add(s.groupCosSums[g], cos[g]);
        add(s.groupSignSums[g], sign[g]);
      }
      int nb = s.shape().bins();
      if (slotPairs != null) {
        for (int b = 0; b < nb; b++) {
          s.allPairs[b] += slotPairs[2 * b] + slotPairs[2 * b + 1];
          s.allSignSums[b] += slotSign[2 * b] + slotSign[2 * b + 1];
          s.allCosSums[b] += slotCos[2 * b] + slotCos[2 * b + 1];
          s.withinPairs[b] += slotPairs[2 * b + 1];
          s.withinSignSums[b] += slotSign[2 * b + 1];
          s.withinCosSums[b] += slotCos[2 * b + 1];
        }
        s.outOfRangePairs += slotPairs[2 * nb] + slotPairs[2 * nb + 1];
      }
      if (colsAll != null) {
        for (int q = 0; q < RowStatistics.WIDTH; q++) {
          for (int j = 0; j < colsAll[q].length; j++) {
            s.colsAll[j * RowStatistics.WIDTH + q] += colsAll[q][j];
            s.colsWithin[j * RowStatistics.WIDTH + q] += colsWithin[q][j];
          }
        }
      }
      s.uncertainSignPairs += uncertain;
      s.minAll = Math.min(s.minAll, minAll);
      s.maxAll = Math.max(s.maxAll, maxAll);
      s.minWithin = Math.min(s.minWithin, minWithin);
      s.maxWithin = Math.max(s.maxWithin, maxWithin);
    }

    private static void add(double[] to, double[] from) {
      for (int i = 0; i < from.length; i++) {
        to[i] += from[i];
      }
    }

    private static void add(long[] to, long[] from) {
      for (int i = 0; i < from.length; i++) {
        to[i] += from[i];
      }
    }
  }

  /** Everything the pass over a chunk reads, gathered once per tile. */
  private static final class Context {
    TilePlan.Tile tile;
    int w;
    float[] k;
    float[] d;
    double[] rowInv;
    double[] colInv;
    int[] colValid;
    double[] rowBound;
    double[] colBound;
    int[] self;
    int[] sizes;
    int[][] rowGroups;
    int[][] colGroups;
    DistanceBins bins;
    double[] edges;
    int binCount;
    boolean useSign;
    double windowLo;
    double windowHi;
    boolean mirrored;
    double[] rowsAll;
    double[] rowsWithin;
  }

  /**
   * The fused pass over rows [from, to) of the tile.
   *
   * <p>Why it looks the way it does (measured on 1024 x 1024 tiles, 2 cores): data-dependent
   * branches cost more than the arithmetic, since a pair's sign is a coin toss to the branch
   * predictor. So an invalid column enters with weight 0 (its cosine and sign are 0, its
   * uncertain-sign bound NaN), a row's self-pair is skipped by splitting the row in two ranges, the
   * within-class test is a 0/1 factor, and bin counts are kept per (bin, same class) slot.
   */
  private static Partial pass(Context c, int from, int to) {
    int w = c.w;
    int groups = c.sizes.length;
    boolean distances = c.d != null;
    Partial p = new Partial();
    p.cos = new double[groups][];
    p.sign = new long[groups][];
    double[][] rowCos = new double[groups][];
    long[][] rowSign = new long[groups][];
    for (int g = 0; g < groups; g++) {
      int size = c.sizes[g];
      p.cos[g] = new double[size * size];
      p.sign[g] = new long[size * size];
      rowCos[g] = new double[size];
      rowSign[g] = new long[size];
    }
    int slots = 2 * (c.binCount + 1);
    long[] slotPairs = new long[slots];
    long[] slotSign = new long[slots];
    double[] slotCos = new double[slots];
    boolean mirrored = distances && c.mirrored;
    double[][] ca = null;
    double[][] cw = null;
    if (mirrored) {
      ca = new double[RowStatistics.WIDTH][w];
      cw = new double[RowStatistics.WIDTH][w];
    }
    float[] k = c.k;
    float[] dist = c.d;
    double[] colInv = c.colInv;
    int[] colValid = c.colValid;
    double[] colBound = c.colBound;
    int[] colLabels = c.colGroups[0];
    double lo = c.windowLo;
    double hi = c.windowHi;
    boolean useSign = c.useSign;
    boolean uniform = c.bins.isUniform();
    DistanceBins bins = c.bins;
    double[] edges = c.edges;
    int nb = c.binCount;
    double e0 = distances ? edges[0] : 0;
    double eLast = distances ? edges[nb] : 0;
    double inverseWidth = distances ? nb / (eLast - e0) : 0;
    long uncertain = 0;
    double minAll = p.minAll;
    double maxAll = p.maxAll;
    double minWithin = p.minWithin;
    double maxWithin = p.maxWithin;
    for (int i = from; i < to; i++) {
      double ri = c.rowInv[i];
      if (ri == 0) {
        continue; // a zero gradient: no pair of this row counts
      }
      int base = i * w;
      int li = c.rowGroups[0][i];
      int self = c.self[i];
      double rowBound = c.rowBound[i];
      double[] cos0 = rowCos[0];
      long[] sign0 = rowSign[0];
      for (int g = 0; g < groups; g++) {
        java.util.Arrays.fill(rowCos[g], 0);
        java.util.Arrays.fill(rowSign[g], 0);
      }
      double an = 0;
      double ad = 0;
      double ay = 0;
      double add = 0;
      double ady = 0;
      double ayy = 0;
      double wn = 0;
      double wd = 0;
      double wy = 0;
      double wdd = 0;
      double wdy = 0;
      double wyy = 0;
      // [0, self) and (self, w): the self-pair is never visited.
      for (int part = 0; part < 2; part++) {
        int jFrom = part == 0 ? 0 : self + 1;
        int jTo = part == 0 ? (self < 0 ? w : self) : (self < 0 ? 0 : w);
        for (int j = jFrom; j < jTo; j++) {
          float kf = k[base + j];
          if (!(Math.abs(kf) <= Float.MAX_VALUE)) {
            throw notFinite(c.tile, i, j, kf);
          }
          int vj = colValid[j];
          // PairStiffness's cosine: in double, clamped, stored as float (0 for invalid columns).
          double cosine = kf * ri * colInv[j];
          double y = (float) (cosine > 1 ? 1 : (cosine < -1 ? -1 : cosine));
          int s = ((kf > 0 ? 1 : 0) - (kf < 0 ? 1 : 0)) * vj;
          uncertain += Math.abs(kf) <= rowBound * colBound[j] ? 1 : 0;
          int lj = colLabels[j];
          cos0[lj] += y;
          sign0[lj] += s;
          for (int g = 1; g < groups; g++) {
            int gj = c.colGroups[g][j];
            rowCos[g][gj] += y;
            rowSign[g][gj] += s;
          }
          if (!distances) {
            continue;
          }
          double dd = dist[base + j];
          if (!(dd >= 0 && dd <= 2)) {
            throw badDistance(c.tile, i, j, dd);
          }
          int same = lj == li ? 1 : 0;
          int b;
          if (dd < e0 || dd > eLast) {
            b = nb; // outside the bins
          } else if (uniform) {
            // DistanceBins.indexOf's arithmetic, with the stored edges deciding close calls.
            b = Math.min(nb - 1, (int) ((dd - e0) * inverseWidth));
            if (dd < edges[b]) {
              b--;
            } else if (dd >= edges[b + 1] && b < nb - 1) {
              b++;
            }
          } else {
            b = bins.indexOf(dd);
          }
          int slot = 2 * b + same;
          slotPairs[slot] += vj;
          slotSign[slot] += s;
          slotCos[slot] += y;
          double m = dd >= lo && dd <= hi ? vj : 0;
          double v = useSign ? s : y;
          double md = m * dd;
          double my = m * v;
          double mdd = md * dd;
          double mdy = md * v;
          double myy = my * v;
          an += m;
          ad += md;
          ay += my;
          add += mdd;
          ady += mdy;
          ayy += myy;
          if (mirrored) {
            ca[0][j] += m;
            ca[1][j] += md;
            ca[2][j] += my;
            ca[3][j] += mdd;
            ca[4][j] += mdy;
            ca[5][j] += myy;
          }
          if (m != 0) {
            minAll = dd < minAll ? dd : minAll;
            maxAll = dd > maxAll ? dd : maxAll;
            // A branch, not a factor: one pair in C is within class, so it is cheaper to
            // mispredict it than to add six zeros for the others.
            if (same != 0) {
              wn += m;
              wd += md;
              wy += my;
              wdd += mdd;
              wdy += mdy;
              wyy += myy;
              minWithin = dd < minWithin ? dd : minWithin;
              maxWithin = dd > maxWithin ? dd : maxWithin;
              if (mirrored) {
                cw[0][j] += m;
                cw[1][j] += md;
                cw[2][j] += my;
                cw[3][j] += mdd;
                cw[4][j] += mdy;
                cw[5][j] += myy;
              }
            }
          }
        }
      }
      for (int g = 0; g < groups; g++) {
        int size = c.sizes[g];
        int cell = c.rowGroups[g][i] * size;
        for (int b = 0; b < size; b++) {
          p.cos[g][cell + b] += rowCos[g][b];
          p.sign[g][cell + b] += rowSign[g][b];
        }
      }
      if (distances) {
        int o = i * RowStatistics.WIDTH;
        put(c.rowsAll, o, an, ad, ay, add, ady, ayy);
        put(c.rowsWithin, o, wn, wd, wy, wdd, wdy, wyy);
      }
    }
    p.uncertain = uncertain;
    if (distances) {
      p.slotPairs = slotPairs;
      p.slotSign = slotSign;
      p.slotCos = slotCos;
    }
    p.colsAll = ca;
    p.colsWithin = cw;
    p.minAll = minAll;
    p.maxAll = maxAll;
    p.minWithin = minWithin;
    p.maxWithin = maxWithin;
    return p;
  }

  private static void put(
      double[] to, int o, double n, double d, double y, double dd, double dy, double yy) {
    to[o + RowStatistics.N] = n;
    to[o + RowStatistics.D] = d;
    to[o + RowStatistics.Y] = y;
    to[o + RowStatistics.DD] = dd;
    to[o + RowStatistics.DY] = dy;
    to[o + RowStatistics.YY] = yy;
  }

  private static int[][] slices(int[][] perExample, int offset, int length) {
    int[][] out = new int[perExample.length][];
    for (int g = 0; g < out.length; g++) {
      out[g] = java.util.Arrays.copyOfRange(perExample[g], offset, offset + length);
    }
    return out;
  }

  /** {@code 1/|g|} per example, 0 for a zero gradient (the invalid marker). */
  static double[] inverseNorms(String side, double[] squared, int offset) {
    double[] inv = new double[squared.length];
    for (int i = 0; i < squared.length; i++) {
      double sq = squared[i];
      if (!Double.isFinite(sq) || sq < 0) {
        throw new IllegalArgumentException(
            side
                + " example "
                + (offset + i)
                + " has squared gradient norm "
                + sq
                + "; expected a finite value >= 0");
      }
      inv[i] = sq == 0 ? 0 : 1 / Math.sqrt(sq);
    }
    return inv;
  }

  static IllegalArgumentException notFinite(TilePlan.Tile tile, int i, int j, float value) {
    return new IllegalArgumentException(
        "Gram entry ("
            + (tile.rowStart() + i)
            + ", "
            + (tile.colStart() + j)
            + ") is not finite: "
            + value);
  }

  static IllegalArgumentException badDistance(TilePlan.Tile tile, int i, int j, double value) {
    return new IllegalArgumentException(
        "input distance ("
            + (tile.rowStart() + i)
            + ", "
            + (tile.colStart() + j)
            + ") = "
            + value
            + " is outside [0, 2]");
  }
}
