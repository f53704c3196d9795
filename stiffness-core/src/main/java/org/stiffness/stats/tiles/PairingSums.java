package org.stiffness.stats.tiles;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.stiffness.gram.TilePlan;
import org.stiffness.gram.internal.ExampleNorms;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceProfile;
import org.stiffness.stats.RowStatistics;

/**
 * The sums of every tile of a pairing, added in plan order, and the statistics they give.
 *
 * <p>Tiles must be added in the order of {@link TilePlan#tiles()}, each once: floating-point
 * addition is not associative, and one fixed order is what makes a measurement sharded over
 * processes (whose tile sums are read back from files) bitwise equal to one process.
 *
 * <p>A mirrored tile of X = X counts twice: its class sums once as computed and once transposed,
 * its bin sums and pair counts twice, its rows' critical-length sums for its row examples and its
 * columns' for its column examples (the same set).
 */
public final class PairingSums {
  private final TilePlan plan;
  private final StatisticsSpec spec;
  private final int[] sizes;
  private final int bins;
  private final boolean distances;
  private final long[][] groupPairs;
  private final long[][] groupSignSums;
  private final double[][] groupCosSums;
  private final long[] allPairs;
  private final long[] allSignSums;
  private final double[] allCosSums;
  private final long[] withinPairs;
  private final long[] withinSignSums;
  private final double[] withinCosSums;
  private final double[] rowsAll;
  private final double[] rowsWithin;
  private final ExampleNorms rowNorms;
  private final ExampleNorms colNorms;
  private long outOfRangePairs;
  private long uncertainSignPairs;
  private long consideredPairs;
  private double minAll = Double.POSITIVE_INFINITY;
  private double maxAll = Double.NEGATIVE_INFINITY;
  private double minWithin = Double.POSITIVE_INFINITY;
  private double maxWithin = Double.NEGATIVE_INFINITY;
  private int added;

  /**
   * @param plan the tiles to expect (its row and column counts are those of the spec's sides)
   * @param spec the pairing
   */
  public PairingSums(TilePlan plan, StatisticsSpec spec) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.spec = Objects.requireNonNull(spec, "spec");
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
    sizes = spec.groupSizes();
    distances = spec.distances() != null;
    bins = distances ? spec.options().bins().count() : 0;
    groupPairs = new long[sizes.length][];
    groupSignSums = new long[sizes.length][];
    groupCosSums = new double[sizes.length][];
    for (int g = 0; g < sizes.length; g++) {
      groupPairs[g] = new long[sizes[g] * sizes[g]];
      groupSignSums[g] = new long[sizes[g] * sizes[g]];
      groupCosSums[g] = new double[sizes[g] * sizes[g]];
    }
    allPairs = new long[bins];
    allSignSums = new long[bins];
    allCosSums = new double[bins];
    withinPairs = new long[bins];
    withinSignSums = new long[bins];
    withinCosSums = new double[bins];
    rowsAll = distances ? new double[plan.rows() * RowStatistics.WIDTH] : null;
    rowsWithin = distances ? new double[plan.rows() * RowStatistics.WIDTH] : null;
    rowNorms = new ExampleNorms(plan.rows());
    colNorms = plan.symmetric() ? rowNorms : new ExampleNorms(plan.cols());
  }

  /** Tiles added so far (the next tile to add is number {@code added()}). */
  public int added() {
    return added;
  }

  /** Whether every tile of the plan has been added. */
  public boolean complete() {
    return added == plan.tileCount();
  }

  /**
   * Adds the next tile's sums.
   *
   * @throws IllegalArgumentException when the tile is not the plan's next one, its shape of sums is
   *     not this pairing's, or its norms disagree with those another tile gave for the same
   *     examples (the tiles were not computed by the same computation)
   */
  public void add(TileSums t) {
    TilePlan.Tile tile = t.tile();
    if (added >= plan.tileCount() || !plan.tile(added).equals(tile)) {
      throw new IllegalArgumentException(
          tile
              + " added out of order: the sums of a pairing are added in plan order, next is "
              + (added < plan.tileCount() ? plan.tile(added) : "none (all added)"));
    }
    boolean mirrored = plan.symmetric() && tile.rowBlock() != tile.colBlock();
    if (t.mirrored() != mirrored
        || !Arrays.equals(t.groupSizes(), sizes)
        || t.bins() != bins
        || t.hasDistances() != distances) {
      throw new IllegalArgumentException(
          t
              + " does not have the shape of this pairing's sums (groups "
              + Arrays.toString(sizes)
              + ", "
              + bins
              + " bins"
              + (mirrored ? ", mirrored" : "")
              + ")");
    }
    rowNorms.record(tile, "row", tile.rowStart(), t.rowSquaredNorms, null);
    colNorms.record(tile, "column", tile.colStart(), t.colSquaredNorms, null);
    int copies = mirrored ? 2 : 1;
    for (int g = 0; g < sizes.length; g++) {
      addCells(g, t, false);
      if (mirrored) {
        addCells(g, t, true);
      }
    }
    for (int c = 0; c < copies; c++) {
      add(allPairs, t.allPairs);
      add(allSignSums, t.allSignSums);
      add(allCosSums, t.allCosSums);
      add(withinPairs, t.withinPairs);
      add(withinSignSums, t.withinSignSums);
      add(withinCosSums, t.withinCosSums);
      outOfRangePairs += t.outOfRangePairs;
      uncertainSignPairs += t.uncertainSignPairs;
      consideredPairs += t.consideredPairs;
    }
    if (distances) {
      int w = RowStatistics.WIDTH;
      addAt(rowsAll, tile.rowStart() * w, t.rowsAll);
      addAt(rowsWithin, tile.rowStart() * w, t.rowsWithin);
      if (mirrored) {
        addAt(rowsAll, tile.colStart() * w, t.colsAll);
        addAt(rowsWithin, tile.colStart() * w, t.colsWithin);
      }
      minAll = Math.min(minAll, t.minAll);
      maxAll = Math.max(maxAll, t.maxAll);
      minWithin = Math.min(minWithin, t.minWithin);
      maxWithin = Math.max(maxWithin, t.maxWithin);
    }
    added++;
  }

  private void addCells(int g, TileSums t, boolean transposed) {
    int k = sizes[g];
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

  private static void addAt(double[] to, int offset, double[] from) {
    for (int i = 0; i < from.length; i++) {
      to[offset + i] += from[i];
    }
  }

  /**
   * The statistics of the whole pairing.
   *
   * @throws IllegalStateException when tiles are missing
   */
  public PairingStatistics finish() {
    if (!complete()) {
      throw new IllegalStateException(
          "the statistics need all "
              + plan.tileCount()
              + " tiles of the pairing, "
              + added
              + " were added");
    }
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
    if (distances) {
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
        zeros(colNorms.squared()));
  }

  private static int[] zeros(double[] squaredNorms) {
    return java.util.stream.IntStream.range(0, squaredNorms.length)
        .filter(i -> squaredNorms[i] == 0)
        .toArray();
  }
}
