package org.stiffness.stats.tiles;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.stiffness.gram.ExampleNorms;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceProfile;
import org.stiffness.stats.GradientCoherence;
import org.stiffness.stats.RowStatistics;

/**
 * Every statistic of a set of pairs as sums over them, O(N + C^2 + bins) numbers: per class cell
 * (and per cell of every other grouping) the pair count, the sum of signs and the sum of cosines;
 * per distance bin the same, over all pairs and over within-class pairs; per row example the
 * critical-length sums ({@link RowStatistics}) over all pairs and within class; the uncertain-sign
 * and considered pair counts; the squared gradient norms the pairs were normalised by.
 *
 * <p>One type for the sums of one Gram tile and for those of a whole pairing, with one wire order
 * ({@link #toVector()}): the tile reduction reads its sums back from the device in that order,
 * shards write it to tile files, and {@code merge} reads it back. A pairing's sums ({@link
 * #pairing}) add the tiles' sums ({@link #add}) in the order of {@link TilePlan#tiles()}, each
 * once: floating-point addition is not associative, and that one order is what makes a measurement
 * sharded over processes bitwise equal to one process.
 *
 * <p>A mirrored tile of X = X ({@link org.stiffness.gram.DeviceTile#mirrored()}) holds the sums of
 * its computed pairs only, plus the critical-length sums its transpose gives its column examples;
 * {@link #add} counts it as computed and {@link #addTransposed transposed}. Counts are exact
 * integers; cosine and critical-length sums are float64.
 */
public final class StatisticsSums {
  private final SumsShape shape;
  private final TilePlan.Tile tile;
  private final boolean mirrored;
  private final int rows;
  private final int cols;
  private final boolean columnTerms;

  private final TilePlan plan;
  private final StatisticsSpec spec;
  private final ExampleNorms rowNorms;
  private final ExampleNorms colNorms;
  private int added;

  long consideredPairs;
  final long[][] groupPairs;
  final double[] rowSquaredNorms;
  final double[] colSquaredNorms;
  long uncertainSignPairs;
  final long[][] groupSignSums;
  final double[][] groupCosSums;
  long outOfRangePairs;
  double minAll = Double.POSITIVE_INFINITY;
  double maxAll = Double.NEGATIVE_INFINITY;
  double minWithin = Double.POSITIVE_INFINITY;
  double maxWithin = Double.NEGATIVE_INFINITY;
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
  final double[] cellGramSums;
  final double[] minima;
  final long[] partners;

  private StatisticsSums(
      SumsShape shape,
      TilePlan.Tile tile,
      boolean mirrored,
      int rows,
      int cols,
      TilePlan plan,
      StatisticsSpec spec,
      double normTolerance) {
    this.shape = Objects.requireNonNull(shape, "shape");
    this.tile = tile;
    this.mirrored = mirrored;
    this.rows = rows;
    this.cols = cols;
    this.plan = plan;
    this.spec = spec;
    this.columnTerms = mirrored && shape.distances();
    int g = shape.groupings();
    groupPairs = new long[g][];
    groupSignSums = new long[g][];
    groupCosSums = new double[g][];
    for (int k = 0; k < g; k++) {
      int cells = shape.groups(k) * shape.groups(k);
      groupPairs[k] = new long[cells];
      groupSignSums[k] = new long[cells];
      groupCosSums[k] = new double[cells];
    }
    int b = shape.bins();
    allPairs = new long[b];
    allSignSums = new long[b];
    allCosSums = new double[b];
    withinPairs = new long[b];
    withinSignSums = new long[b];
    withinCosSums = new double[b];
    int w = RowStatistics.WIDTH;
    rowsAll = shape.distances() ? new double[rows * w] : null;
    rowsWithin = shape.distances() ? new double[rows * w] : null;
    colsAll = columnTerms ? new double[cols * w] : null;
    colsWithin = columnTerms ? new double[cols * w] : null;
    if (shape.coherence()) {
      cellGramSums = new double[shape.groups(0) * shape.groups(0)];
      minima = new double[rows * GradientCoherence.MINIMA];
      partners = new long[rows * GradientCoherence.MINIMA];
      Arrays.fill(minima, Double.POSITIVE_INFINITY);
      Arrays.fill(partners, -1);
    } else {
      cellGramSums = null;
      minima = null;
      partners = null;
    }
    if (plan == null) {
      rowSquaredNorms = new double[rows];
      colSquaredNorms = new double[cols];
      rowNorms = null;
      colNorms = null;
    } else {
      rowSquaredNorms = null;
      colSquaredNorms = null;
      rowNorms = new ExampleNorms(plan.rows(), normTolerance);
      colNorms = plan.symmetric() ? rowNorms : new ExampleNorms(plan.cols(), normTolerance);
    }
  }

  /** Zero sums of one tile of a pairing of this shape. */
  public static StatisticsSums tile(SumsShape shape, TilePlan.Tile tile, boolean mirrored) {
    Objects.requireNonNull(tile, "tile");
    return new StatisticsSums(shape, tile, mirrored, tile.height(), tile.width(), null, null, 0);
  }

  /**
   * Zero sums of a whole pairing, which its tiles' sums are added to in plan order.
   *
   * @param plan the tiles to expect (its row and column counts are those of the spec's sides)
   * @param spec the pairing
   * @throws IllegalArgumentException when the plan is not for the spec's examples
   */
  public static StatisticsSums pairing(TilePlan plan, StatisticsSpec spec) {
    return pairing(plan, spec, 0);
  }

  /**
   * Zero sums of a whole pairing whose tiles' squared norms of one example may differ by {@code
   * normTolerance} ({@link ExampleNorms#tolerance}: tiles computed on a GPU).
   *
   * @param plan the tiles to expect (its row and column counts are those of the spec's sides)
   * @param spec the pairing
   * @param normTolerance relative tolerance of the norms; 0 for bitwise
   * @throws IllegalArgumentException when the plan is not for the spec's examples
   */
  public static StatisticsSums pairing(TilePlan plan, StatisticsSpec spec, double normTolerance) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(spec, "spec");
    if (plan.rows() != spec.rows().size()
        || plan.cols() != spec.cols().size()
        || plan.symmetric() != spec.symmetric()) {
      throw new IllegalArgumentException(
          "the tile plan is for "
              + plan.extent()
              + " examples, the statistics for "
              + spec.rows().size()
              + " x "
              + spec.cols().size()
              + (spec.symmetric() ? " (symmetric)" : ""));
    }
    return new StatisticsSums(
        SumsShape.of(spec), null, false, plan.rows(), plan.cols(), plan, spec, normTolerance);
  }

  /** The shape of these sums. */
  public SumsShape shape() {
    return shape;
  }

  /** The tile these are the sums of (null for a pairing's sums). */
  public TilePlan.Tile tile() {
    return tile;
  }

  /** Whether the tile also stands for its transpose (see {@link #addTransposed}). */
  public boolean mirrored() {
    return mirrored;
  }

  /** Valid non-self pairs whose sign is below the rounding-error bound. */
  public long uncertainSignPairs() {
    return uncertainSignPairs;
  }

  /** Valid non-self pairs. */
  public long consideredPairs() {
    return consideredPairs;
  }

  /** Pairs of cell (a, b) of grouping g (0: classes). */
  public long pairs(int g, int a, int b) {
    return groupPairs[g][a * shape.groups(g) + b];
  }

  /** Sum of the cosines of cell (a, b) of grouping g. */
  public double cosineSum(int g, int a, int b) {
    return groupCosSums[g][a * shape.groups(g) + b];
  }

  /** Sum of the signs of cell (a, b) of grouping g. */
  public long signSum(int g, int a, int b) {
    return groupSignSums[g][a * shape.groups(g) + b];
  }

  // ---- the wire order ---------------------------------------------------------------------------

  /**
   * Numbers of a tile's {@link #toVector()} that are known before its entries are: the considered
   * pairs, the pair counts of every grouping's cells, and the row and column squared gradient
   * norms. They follow from the norms, ids and groups alone; the rest (the suffix) needs the
   * entries and the distances.
   */
  public static int prefixLength(SumsShape shape, int height, int width) {
    long n = 1;
    for (int k : shape.groupSizes()) {
      n += (long) k * k;
    }
    return Math.toIntExact(n + height + width);
  }

  /** Numbers of a tile's {@link #toVector()} after its {@link #prefixLength}. */
  public static int suffixLength(SumsShape shape, int height, int width, boolean mirrored) {
    long n = 1;
    for (int k : shape.groupSizes()) {
      n += 2L * k * k;
    }
    if (shape.distances()) {
      n += 5 + 6L * shape.bins() + 2L * height * RowStatistics.WIDTH;
      if (mirrored) {
        n += 2L * width * RowStatistics.WIDTH;
      }
    }
    if (shape.coherence()) {
      n += (long) shape.groups(0) * shape.groups(0) + 2L * height * GradientCoherence.MINIMA;
    }
    return Math.toIntExact(n);
  }

  /** Number of doubles in a tile's {@link #toVector()}. */
  public static int vectorLength(SumsShape shape, int height, int width, boolean mirrored) {
    return prefixLength(shape, height, width) + suffixLength(shape, height, width, mirrored);
  }

  /**
   * A tile's sums as one float64 vector (counts are integers far below 2^53, so exact). The order,
   * first the {@linkplain #prefixLength prefix}: considered pairs; per grouping the pair counts of
   * its {@code (k, k)} cells; the row then column squared gradient norms. Then the suffix:
   * uncertain-sign pairs; per grouping the sign sums then cosine sums of its cells; with distances,
   * the pairs outside the bins, the smallest and largest fitted distance over all pairs and then
   * within class, per bin the all-pairs counts, sign sums, cosine sums and the within-class ones,
   * the rows' critical-length sums ({@code (height, 6)}) over all pairs then within class, and for
   * a mirrored tile the columns' likewise; with coherence, the sums of the Gram entries of the
   * classes' cells ({@code (k, k)}), then per row its {@link GradientCoherence#MINIMA} smallest
   * values ({@link GradientCoherence#COSINE}, ...) followed by the tile columns that give them.
   *
   * @throws IllegalStateException for a pairing's sums (only a tile's travel)
   */
  public double[] toVector() {
    requireTile();
    double[] v = new double[vectorLength(shape, rows, cols, mirrored)];
    Cursor c = new Cursor(v);
    c.put(consideredPairs);
    for (long[] pairs : groupPairs) {
      c.put(pairs);
    }
    c.put(rowSquaredNorms).put(colSquaredNorms);
    c.put(uncertainSignPairs);
    for (int g = 0; g < groupPairs.length; g++) {
      c.put(groupSignSums[g]).put(groupCosSums[g]);
    }
    if (shape.distances()) {
      c.put(outOfRangePairs).put(minAll).put(maxAll).put(minWithin).put(maxWithin);
      c.put(allPairs).put(allSignSums).put(allCosSums);
      c.put(withinPairs).put(withinSignSums).put(withinCosSums);
      c.put(rowsAll).put(rowsWithin);
      if (columnTerms) {
        c.put(colsAll).put(colsWithin);
      }
    }
    if (shape.coherence()) {
      c.put(cellGramSums);
      int q = GradientCoherence.MINIMA;
      for (int r = 0; r < rows; r++) {
        for (int k = 0; k < q; k++) {
          c.put(minima[r * q + k]);
        }
        for (int k = 0; k < q; k++) {
          c.put(partners[r * q + k]);
        }
      }
    }
    return v;
  }

  /**
   * The sums of a tile from the vector {@link #toVector()} wrote.
   *
   * @throws IllegalArgumentException when the vector has the wrong length or a count is not a
   *     non-negative integer (naming the entry)
   */
  public static StatisticsSums fromVector(
      SumsShape shape, TilePlan.Tile tile, boolean mirrored, double[] v) {
    int expected = vectorLength(shape, tile.height(), tile.width(), mirrored);
    if (v.length != expected) {
      throw new IllegalArgumentException(
          tile + ": " + v.length + " numbers of statistics, expected " + expected);
    }
    StatisticsSums s = tile(shape, tile, mirrored);
    Cursor c = new Cursor(v);
    s.consideredPairs = c.count();
    for (long[] pairs : s.groupPairs) {
      c.counts(pairs);
    }
    c.doubles(s.rowSquaredNorms).doubles(s.colSquaredNorms);
    s.uncertainSignPairs = c.count();
    for (int g = 0; g < s.groupPairs.length; g++) {
      c.integers(s.groupSignSums[g]).doubles(s.groupCosSums[g]);
    }
    if (shape.distances()) {
      s.outOfRangePairs = c.count();
      s.minAll = c.next();
      s.maxAll = c.next();
      s.minWithin = c.next();
      s.maxWithin = c.next();
      c.counts(s.allPairs).integers(s.allSignSums).doubles(s.allCosSums);
      c.counts(s.withinPairs).integers(s.withinSignSums).doubles(s.withinCosSums);
      c.doubles(s.rowsAll).doubles(s.rowsWithin);
      if (s.columnTerms) {
        c.doubles(s.colsAll).doubles(s.colsWithin);
      }
    }
    if (shape.coherence()) {
      c.doubles(s.cellGramSums);
      int q = GradientCoherence.MINIMA;
      for (int r = 0; r < s.rows; r++) {
        for (int k = 0; k < q; k++) {
          s.minima[r * q + k] = c.next();
        }
        for (int k = 0; k < q; k++) {
          long j = c.count();
          if (j >= s.cols) {
            throw new IllegalArgumentException(
                tile + ": row " + r + " names column " + j + " of " + s.cols);
          }
          s.partners[r * q + k] = j;
        }
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

    Cursor put(long x) {
      v[at++] = x;
      return this;
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

  // ---- adding a pairing's tiles -----------------------------------------------------------------

  /** Tiles added so far (the next tile to add is number {@code added()} of the plan). */
  public int added() {
    return added;
  }

  /** Whether every tile of the plan has been added. */
  public boolean complete() {
    return plan != null && added == plan.tileCount();
  }

  /**
   * Adds the next tile's sums to this pairing's: as computed, and for a mirrored tile also
   * {@linkplain #addTransposed transposed}.
   *
   * @throws IllegalArgumentException when the tile is not the plan's next one, its sums do not have
   *     this pairing's shape, or its norms disagree with those another tile gave for the same
   *     examples (the tiles were not computed by the same computation)
   * @throws IllegalStateException when these are a tile's sums
   */
  public void add(StatisticsSums t) {
    requirePairing();
    TilePlan.Tile next = added < plan.tileCount() ? plan.tile(added) : null;
    if (t.tile == null || !t.tile.equals(next)) {
      throw new IllegalArgumentException(
          t.tile
              + " added out of order: the sums of a pairing are added in plan order, next is "
              + (next != null ? next : "none (all added)"));
    }
    boolean mirrored = plan.symmetric() && next.rowBlock() != next.colBlock();
    if (t.mirrored != mirrored || !t.shape.equals(shape)) {
      throw new IllegalArgumentException(
          t
              + " does not have the shape of this pairing's sums ("
              + shape
              + (mirrored ? ", mirrored" : "")
              + ")");
    }
    rowNorms.record(next, "row", next.rowStart(), t.rowSquaredNorms, null);
    colNorms.record(next, "column", next.colStart(), t.colSquaredNorms, null);
    addAsComputed(t);
    if (mirrored) {
      addTransposed(t);
    }
    added++;
  }

  /** The tile's pairs as computed: rows are this pairing's rows. */
  private void addAsComputed(StatisticsSums t) {
    for (int g = 0; g < groupPairs.length; g++) {
      addCells(g, t, false);
    }
    addPairwise(t);
    if (shape.distances()) {
      addAt(rowsAll, t.tile.rowStart(), t.rowsAll);
      addAt(rowsWithin, t.tile.rowStart(), t.rowsWithin);
    }
    if (shape.coherence()) {
      addCells(cellGramSums, t.cellGramSums, shape.groups(0), false);
      addMinima(t);
    }
  }

  /**
   * Keeps, per row example, the smaller of its minimum so far and the tile's, and of equal values
   * the one with the smaller column: a total order, so the result does not depend on the order the
   * tiles come in. A mirrored tile's transpose holds the same pairs, first and second swapped,
   * whose minima the rows of the tile already give (the column is then the larger position).
   */
  private void addMinima(StatisticsSums t) {
    int q = GradientCoherence.MINIMA;
    int rowStart = t.tile.rowStart();
    int colStart = t.tile.colStart();
    for (int r = 0; r < t.rows; r++) {
      for (int k = 0; k < q; k++) {
        double value = t.minima[r * q + k];
        if (value == Double.POSITIVE_INFINITY) {
          continue;
        }
        long column = colStart + t.partners[r * q + k];
        int at = (rowStart + r) * q + k;
        if (value < minima[at] || (value == minima[at] && column < partners[at])) {
          minima[at] = value;
          partners[at] = column;
        }
      }
    }
  }

  private static void addCells(double[] to, double[] from, int k, boolean transposed) {
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        to[a * k + b] += from[transposed ? b * k + a : a * k + b];
      }
    }
  }

  /**
   * The transpose of a mirrored tile of X = X, which is never computed: its pairs once more, class
   * cells transposed, and its column examples' critical-length sums as rows.
   *
   * @throws IllegalArgumentException when the tile is not mirrored
   */
  public void addTransposed(StatisticsSums t) {
    requirePairing();
    if (!t.mirrored) {
      throw new IllegalArgumentException(t + " is not mirrored: it has no transpose to add");
    }
    for (int g = 0; g < groupPairs.length; g++) {
      addCells(g, t, true);
    }
    addPairwise(t);
    if (shape.distances()) {
      addAt(rowsAll, t.tile.colStart(), t.colsAll);
      addAt(rowsWithin, t.tile.colStart(), t.colsWithin);
    }
    if (shape.coherence()) {
      addCells(cellGramSums, t.cellGramSums, shape.groups(0), true);
    }
  }

  private void addCells(int g, StatisticsSums t, boolean transposed) {
    int k = shape.groups(g);
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        int to = a * k + b;
        int from = transposed ? b * k + a : to;
        groupPairs[g][to] += t.groupPairs[g][from];
        groupSignSums[g][to] += t.groupSignSums[g][from];
        groupCosSums[g][to] += t.groupCosSums[g][from];
      }
    }
  }

  /** The sums that do not depend on which side is the row: counts, bins, the fitted range. */
  private void addPairwise(StatisticsSums t) {
    consideredPairs += t.consideredPairs;
    uncertainSignPairs += t.uncertainSignPairs;
    outOfRangePairs += t.outOfRangePairs;
    add(allPairs, t.allPairs);
    add(allSignSums, t.allSignSums);
    add(allCosSums, t.allCosSums);
    add(withinPairs, t.withinPairs);
    add(withinSignSums, t.withinSignSums);
    add(withinCosSums, t.withinCosSums);
    minAll = Math.min(minAll, t.minAll);
    maxAll = Math.max(maxAll, t.maxAll);
    minWithin = Math.min(minWithin, t.minWithin);
    maxWithin = Math.max(maxWithin, t.maxWithin);
  }

  private static void add(long[] to, long[] from) {
    for (int i = 0; i < from.length; i++) {
      to[i] += from[i];
    }
  }

  private static void add(double[] to, double[] from) {
    for (int i = 0; i < from.length; i++) {
      to[i] += from[i];
    }
  }

  private static void addAt(double[] to, int example, double[] from) {
    int offset = example * RowStatistics.WIDTH;
    for (int i = 0; i < from.length; i++) {
      to[offset + i] += from[i];
    }
  }

  /**
   * The statistics of the whole pairing.
   *
   * @throws IllegalStateException when tiles are missing, or these are a tile's sums
   */
  public PairingStatistics finish() {
    requirePairing();
    if (!complete()) {
      throw new IllegalStateException(
          "the statistics need all "
              + plan.tileCount()
              + " tiles of the pairing, "
              + added
              + " were added");
    }
    int[] sizes = shape.groupSizes();
    ClassStiffness classes =
        ClassStiffness.fromSums(sizes[0], groupPairs[0], groupSignSums[0], groupCosSums[0]);
    Map<String, ClassStiffness> groups = new LinkedHashMap<>();
    for (int g = 1; g < sizes.length; g++) {
      groups.put(
          spec.groupings().get(g - 1).name(),
          ClassStiffness.fromSums(sizes[g], groupPairs[g], groupSignSums[g], groupCosSums[g]));
    }
    DistanceProfile profile = null;
    RowStatistics within = null;
    RowStatistics all = null;
    CriticalLength.Result xi = null;
    CriticalLength.Result xiAll = null;
    if (shape.distances()) {
      profile =
          DistanceProfile.fromSums(
              spec.options().bins(),
              withinPairs,
              withinSignSums,
              withinCosSums,
              allPairs,
              allSignSums,
              allCosSums,
              outOfRangePairs);
      within = new RowStatistics(plan.rows(), rowsWithin.clone(), minWithin, maxWithin);
      all = new RowStatistics(plan.rows(), rowsAll.clone(), minAll, maxAll);
      xi = CriticalLength.estimate(within, spec.options().criticalLength());
      xiAll = CriticalLength.estimate(all, spec.options().criticalLength());
    }
    return new PairingStatistics(
        classes,
        groups,
        profile,
        within,
        all,
        xi,
        xiAll,
        uncertainSignPairs,
        consideredPairs,
        zeros(rowNorms.squared()),
        zeros(colNorms.squared()),
        shape.coherence()
            ? GradientCoherence.fromSums(
                rowNorms.squared(), spec.rows().labels(), sizes[0], cellGramSums, minima, partners)
            : null);
  }

  private static int[] zeros(double[] squaredNorms) {
    return IntStream.range(0, squaredNorms.length).filter(i -> squaredNorms[i] == 0).toArray();
  }

  private void requireTile() {
    if (tile == null) {
      throw new IllegalStateException("a pairing's sums are not written as a tile's");
    }
  }

  private void requirePairing() {
    if (plan == null) {
      throw new IllegalStateException(this + " are a tile's sums, not a pairing's");
    }
  }

  @Override
  public String toString() {
    return "StatisticsSums["
        + (tile != null ? tile.toString() : "pairing " + plan.extent())
        + (mirrored ? ", mirrored" : "")
        + ", "
        + shape
        + "]";
  }
}
