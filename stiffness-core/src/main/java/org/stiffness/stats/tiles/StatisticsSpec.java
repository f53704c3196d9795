package org.stiffness.stats.tiles;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.TileDistances;
import org.stiffness.stats.internal.Checks;

/**
 * Everything the statistics of one pairing {@code K = G_X G_Y^T} need besides the Gram tiles: the
 * examples' ids, classes and other groupings on both sides, their input distances and the options.
 * For X = X pass the same {@link PairingSide} twice.
 */
public final class StatisticsSpec {
  private final PairingSide rows;
  private final PairingSide cols;
  private final int classes;
  private final List<Grouping> groupings;
  private final TileDistances distances;
  private final StatisticsOptions options;
  private final Map<Long, Integer> columnOfId;
  private final DistanceCache cache;

  /**
   * @param rows the row examples X
   * @param cols the column examples Y ({@code rows} itself for X = X)
   * @param classes number of classes n_c
   * @param groupings other groupings, present in both sides' {@link PairingSide#groups()}
   * @param distances input distances of the pairs, or null for no distance profile and no xi
   * @param options bins and xi fit
   * @throws IllegalArgumentException naming the side, example and value that do not fit
   */
  public StatisticsSpec(
      PairingSide rows,
      PairingSide cols,
      int classes,
      List<Grouping> groupings,
      TileDistances distances,
      StatisticsOptions options) {
    this(rows, cols, classes, groupings, distances, options, null);
  }

  /**
   * A spec whose tiles' input-distance geometry is kept in {@code cache} across the checkpoints of
   * a run (null: made again for every tile reduced).
   *
   * @throws IllegalArgumentException naming the side, example and value that do not fit
   */
  public StatisticsSpec(
      PairingSide rows,
      PairingSide cols,
      int classes,
      List<Grouping> groupings,
      TileDistances distances,
      StatisticsOptions options,
      DistanceCache cache) {
    this.cache = cache;
    this.rows = Objects.requireNonNull(rows, "rows");
    this.cols = Objects.requireNonNull(cols, "cols");
    this.groupings = List.copyOf(groupings);
    this.distances = distances;
    this.options = Objects.requireNonNull(options, "options");
    if (classes < 1) {
      throw new IllegalArgumentException("classes = " + classes + ", expected >= 1");
    }
    this.classes = classes;
    check("row", rows);
    if (cols != rows) {
      check("column", cols);
    }
    columnOfId = new HashMap<>(cols.size() * 2);
    for (int j = 0; j < cols.size(); j++) {
      columnOfId.put(cols.ids()[j], j);
    }
  }

  private void check(String side, PairingSide s) {
    Checks.requireUniqueIds(side + " ids", s.ids(), s.size());
    Checks.requireLabels(side + " labels", s.labels(), s.size(), classes);
    for (Grouping g : groupings) {
      int[] groups = s.groups().get(g.name());
      if (groups == null) {
        throw new IllegalArgumentException(
            side
                + " examples have no grouping "
                + g.name()
                + " (they have "
                + s.groups().keySet()
                + ")");
      }
      Checks.requireLabels(side + " " + g.name(), groups, s.size(), g.groups());
    }
  }

  /** The row examples. */
  public PairingSide rows() {
    return rows;
  }

  /** The column examples. */
  public PairingSide cols() {
    return cols;
  }

  /** X = X: the rows are the columns. */
  public boolean symmetric() {
    return rows == cols;
  }

  /** Number of classes n_c. */
  public int classes() {
    return classes;
  }

  /** The other groupings, in order. */
  public List<Grouping> groupings() {
    return groupings;
  }

  /**
   * Number of groups of every grouping, classes first: the matrices a tile's sums hold, in order.
   */
  public int[] groupSizes() {
    int[] sizes = new int[groupings.size() + 1];
    sizes[0] = classes;
    for (int g = 0; g < groupings.size(); g++) {
      sizes[g + 1] = groupings.get(g).groups();
    }
    return sizes;
  }

  /** Group index per example of every grouping, classes first, for one side. */
  int[][] groupIndices(PairingSide side) {
    int[][] out = new int[groupings.size() + 1][];
    out[0] = side.labels();
    for (int g = 0; g < groupings.size(); g++) {
      out[g + 1] = side.groups().get(groupings.get(g).name());
    }
    return out;
  }

  /** The input distances, or null. */
  public TileDistances distances() {
    return distances;
  }

  /** Bins and xi fit. */
  public StatisticsOptions options() {
    return options;
  }

  /** Where the tiles' input-distance geometry is kept across checkpoints, or null. */
  public DistanceCache cache() {
    return cache;
  }

  /** This spec with its tiles' geometry kept in {@code value} (a new spec: a new cache key). */
  public StatisticsSpec withCache(DistanceCache value) {
    return new StatisticsSpec(rows, cols, classes, groupings, distances, options, value);
  }

  /**
   * For each row of {@code tile}, the column of the tile holding the same example (equal ids), or
   * -1: the self-pairs to leave out. Ids are unique within a side, so a row has at most one.
   */
  int[] selfColumns(TilePlan.Tile tile) {
    int[] out = new int[tile.height()];
    Arrays.fill(out, -1);
    for (int i = 0; i < out.length; i++) {
      Integer j = columnOfId.get(rows.ids()[tile.rowStart() + i]);
      if (j != null && j >= tile.colStart() && j < tile.colEnd()) {
        out[i] = j - tile.colStart();
      }
    }
    return out;
  }
}
