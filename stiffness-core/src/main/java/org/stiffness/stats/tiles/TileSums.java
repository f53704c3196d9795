package org.stiffness.stats.tiles;

import java.util.Arrays;
import java.util.Objects;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.RowStatistics;

/**
 * The statistics of one Gram tile as sums over its valid, non-self pairs, O(N + C^2 + bins)
 * numbers: per class cell (and per cell of every other grouping) the pair count, the sum of signs
 * and the sum of cosines; per distance bin the same, over all pairs and within-class pairs; per row
 * example the critical-length sums ({@link RowStatistics}) within class and over all pairs; the
 * uncertain-sign count. For a mirrored tile of X = X (see {@link
 * org.stiffness.gram.DeviceTile#mirrored()}) the sums are those of the computed pairs only, plus
 * the per-column critical-length sums the transposed tile gives its column examples; {@link
 * PairingSums#add} counts the transpose.
 *
 * <p>Counts are exact integers; sums of cosines and of critical-length terms are float64.
 */
public final class TileSums {
  private static final int SCALARS = 7;

  private final TilePlan.Tile tile;
  private final boolean mirrored;
  private final int[] groupSizes;
  private final int bins;
  private final boolean distances;

  final long[][] groupPairs;
  final long[][] groupSignSums;
  final double[][] groupCosSums;
  final long[] allPairs;
  final long[] allSignSums;
  final double[] allCosSums;
  final long[] withinPairs;
  final long[] withinSignSums;
  final double[] withinCosSums;
  final double[] rowsAll;
  final double[] rowsWithin;
  final double[] colsAll;
  final double[] colsWithin;
  final double[] rowSquaredNorms;
  final double[] colSquaredNorms;
  long outOfRangePairs;
  long uncertainSignPairs;
  long consideredPairs;
  double minAll = Double.POSITIVE_INFINITY;
  double maxAll = Double.NEGATIVE_INFINITY;
  double minWithin = Double.POSITIVE_INFINITY;
  double maxWithin = Double.NEGATIVE_INFINITY;

  /**
   * Zero sums for a tile.
   *
   * @param groupSizes groups of every grouping, classes first ({@link StatisticsSpec#groupSizes()})
   * @param bins number of distance bins, 0 without distances
   * @param distances whether the pairs have input distances (bins and critical-length sums)
   */
  TileSums(TilePlan.Tile tile, boolean mirrored, int[] groupSizes, int bins, boolean distances) {
    this.tile = Objects.requireNonNull(tile, "tile");
    this.mirrored = mirrored;
    this.groupSizes = groupSizes.clone();
    this.distances = distances;
    this.bins = distances ? bins : 0;
    int g = groupSizes.length;
    groupPairs = new long[g][];
    groupSignSums = new long[g][];
    groupCosSums = new double[g][];
    for (int k = 0; k < g; k++) {
      int cells = groupSizes[k] * groupSizes[k];
      groupPairs[k] = new long[cells];
      groupSignSums[k] = new long[cells];
      groupCosSums[k] = new double[cells];
    }
    allPairs = new long[this.bins];
    allSignSums = new long[this.bins];
    allCosSums = new double[this.bins];
    withinPairs = new long[this.bins];
    withinSignSums = new long[this.bins];
    withinCosSums = new double[this.bins];
    int h = tile.height();
    int w = tile.width();
    rowsAll = distances ? new double[h * RowStatistics.WIDTH] : null;
    rowsWithin = distances ? new double[h * RowStatistics.WIDTH] : null;
    colsAll = distances && mirrored ? new double[w * RowStatistics.WIDTH] : null;
    colsWithin = distances && mirrored ? new double[w * RowStatistics.WIDTH] : null;
    rowSquaredNorms = new double[h];
    colSquaredNorms = new double[w];
  }

  /** The tile these are the sums of. */
  public TilePlan.Tile tile() {
    return tile;
  }

  /** Whether the tile also stands for its transpose (see {@link PairingSums#add}). */
  public boolean mirrored() {
    return mirrored;
  }

  /** Groups of every grouping, classes first. */
  public int[] groupSizes() {
    return groupSizes.clone();
  }

  /** Number of distance bins (0 without distances). */
  public int bins() {
    return bins;
  }

  /** Whether bins and critical-length sums were taken. */
  public boolean hasDistances() {
    return distances;
  }

  /** Valid non-self pairs of the tile whose sign is below the rounding-error bound. */
  public long uncertainSignPairs() {
    return uncertainSignPairs;
  }

  /** Valid non-self pairs of the tile. */
  public long consideredPairs() {
    return consideredPairs;
  }

  /** Pairs of cell (a, b) of grouping g (0: classes). */
  public long pairs(int g, int a, int b) {
    return groupPairs[g][a * groupSizes[g] + b];
  }

  /** Sum of the cosines of cell (a, b) of grouping g. */
  public double cosineSum(int g, int a, int b) {
    return groupCosSums[g][a * groupSizes[g] + b];
  }

  /** Sum of the signs of cell (a, b) of grouping g. */
  public long signSum(int g, int a, int b) {
    return groupSignSums[g][a * groupSizes[g] + b];
  }

  /** Number of doubles in {@link #toVector()} for this shape. */
  public static int vectorLength(
      int height, int width, boolean mirrored, int[] groupSizes, int bins, boolean distances) {
    long n = SCALARS;
    for (int k : groupSizes) {
      n += 3L * k * k;
    }
    if (distances) {
      n += 6L * bins;
      n += 2L * height * RowStatistics.WIDTH;
      if (mirrored) {
        n += 2L * width * RowStatistics.WIDTH;
      }
    }
    n += height + width;
    return Math.toIntExact(n);
  }

  /**
   * Every number as one float64 vector, for files: counts are integers far below 2^53 and so exact.
   * The layout: uncertain, considered and out-of-range pairs, the fitted distance range (min and
   * max over all pairs, then within class); per grouping the pair counts, sign sums and cosine sums
   * ({@code (k, k)} each); per bin all-pairs counts, sign sums, cosine sums, then within-class; the
   * row and column squared gradient norms; the rows' critical-length sums over all pairs and within
   * class ({@code (height, 6)}), and for a mirrored tile the columns' likewise.
   */
  public double[] toVector() {
    double[] v =
        new double
            [vectorLength(tile.height(), tile.width(), mirrored, groupSizes, bins, distances)];
    Cursor c = new Cursor(v);
    c.put(uncertainSignPairs).put(consideredPairs).put(outOfRangePairs);
    c.put(minAll).put(maxAll).put(minWithin).put(maxWithin);
    for (int g = 0; g < groupSizes.length; g++) {
      c.put(groupPairs[g]).put(groupSignSums[g]).put(groupCosSums[g]);
    }
    if (distances) {
      c.put(allPairs).put(allSignSums).put(allCosSums);
      c.put(withinPairs).put(withinSignSums).put(withinCosSums);
    }
    c.put(rowSquaredNorms).put(colSquaredNorms);
    if (distances) {
      c.put(rowsAll).put(rowsWithin);
      if (mirrored) {
        c.put(colsAll).put(colsWithin);
      }
    }
    return v;
  }

  /**
   * The sums {@link #toVector()} wrote.
   *
   * @throws IllegalArgumentException when the vector has the wrong length or a count is not a
   *     non-negative integer
   */
  public static TileSums fromVector(
      TilePlan.Tile tile,
      boolean mirrored,
      int[] groupSizes,
      int bins,
      boolean distances,
      double[] v) {
    int expected = vectorLength(tile.height(), tile.width(), mirrored, groupSizes, bins, distances);
    if (v.length != expected) {
      throw new IllegalArgumentException(
          tile + ": " + v.length + " numbers of statistics, expected " + expected);
    }
    TileSums s = new TileSums(tile, mirrored, groupSizes, bins, distances);
    Cursor c = new Cursor(v);
    s.uncertainSignPairs = c.count();
    s.consideredPairs = c.count();
    s.outOfRangePairs = c.count();
    s.minAll = c.next();
    s.maxAll = c.next();
    s.minWithin = c.next();
    s.maxWithin = c.next();
    for (int g = 0; g < groupSizes.length; g++) {
      c.counts(s.groupPairs[g]).integers(s.groupSignSums[g]).doubles(s.groupCosSums[g]);
    }
    if (distances) {
      c.counts(s.allPairs).integers(s.allSignSums).doubles(s.allCosSums);
      c.counts(s.withinPairs).integers(s.withinSignSums).doubles(s.withinCosSums);
    }
    c.doubles(s.rowSquaredNorms).doubles(s.colSquaredNorms);
    if (distances) {
      c.doubles(s.rowsAll).doubles(s.rowsWithin);
      if (mirrored) {
        c.doubles(s.colsAll).doubles(s.colsWithin);
      }
    }
    return s;
  }

  /** Sequential reader/writer of the vector layout. */
  private static final class Cursor {
    private final double[] v;
    private int at;

    Cursor(double[] v) {
      this.v = v;
    }

    Cursor put(double x) {
      v[at++] = x;
      return this;
    }

    Cursor put(long[] a) {
      for (long x : a) {
        v[at++] = x;
      }
      return this;
    }

    Cursor put(double[] a) {
      System.arraycopy(a, 0, v, at, a.length);
      at += a.length;
      return this;
    }

    double next() {
      return v[at++];
    }

    long count() {
      long x = integer();
      if (x < 0) {
        throw new IllegalArgumentException("entry " + (at - 1) + " is a negative count: " + x);
      }
      return x;
    }

    long integer() {
      double x = v[at++];
      if (x != Math.rint(x) || Math.abs(x) > 0x1p53) {
        throw new IllegalArgumentException("entry " + (at - 1) + " is not an integer: " + x);
      }
      return (long) x;
    }

    Cursor counts(long[] a) {
      for (int k = 0; k < a.length; k++) {
        a[k] = count();
      }
      return this;
    }

    Cursor integers(long[] a) {
      for (int k = 0; k < a.length; k++) {
        a[k] = integer();
      }
      return this;
    }

    Cursor doubles(double[] a) {
      System.arraycopy(v, at, a, 0, a.length);
      at += a.length;
      return this;
    }
  }

  @Override
  public String toString() {
    return "TileSums["
        + tile
        + (mirrored ? ", mirrored" : "")
        + ", groups "
        + Arrays.toString(groupSizes)
        + ", "
        + bins
        + " bins]";
  }
}
