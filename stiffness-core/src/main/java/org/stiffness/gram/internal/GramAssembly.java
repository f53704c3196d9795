package org.stiffness.gram.internal;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.ExampleNorms;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramSide;
import org.stiffness.gram.GramTile;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TilePlan;

/**
 * A {@link GramMatrix} put together from the tiles of a {@link TilePlan}, computed anywhere and in
 * any order: each tile is placed (and, for X = X, mirrored below the diagonal) exactly as {@link
 * TiledGram} places it in one process, so a complete assembly holds the same bits.
 *
 * <p>Every tile carries the norms of its row and column examples; a block's norms come from several
 * tiles and must agree (bitwise on a CPU, within the fp32 bound on a GPU: {@link ExampleNorms}),
 * which checks that the processes computed the same operands.
 */
public final class GramAssembly {
  private final TilePlan plan;
  private final float[] values;
  private final ExampleNorms rowNorms;
  private final ExampleNorms colNorms;
  private final BitSet present = new BitSet();
  private long innerLength = 1;

  /**
   * @param plan the tiles to expect
   */
  public GramAssembly(TilePlan plan) {
    this(plan, 0);
  }

  /**
   * @param plan the tiles to expect
   * @param normTolerance how far the norms of one example from two tiles may differ ({@link
   *     ExampleNorms#tolerance}; 0 for bitwise)
   */
  public GramAssembly(TilePlan plan, double normTolerance) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.values = new float[Math.multiplyExact(plan.rows(), plan.cols())];
    this.rowNorms = new ExampleNorms(plan.rows(), normTolerance);
    this.colNorms = plan.symmetric() ? rowNorms : new ExampleNorms(plan.cols(), normTolerance);
  }

  /**
   * Places a tile.
   *
   * @throws IllegalArgumentException when the tile is not one of the plan's, or its norms disagree
   *     with those another tile gave for the same examples
   */
  public void add(GramTile tile) {
    TilePlan.Tile t = tile.tile();
    requireOfPlan(t);
    int width = plan.cols();
    for (int i = 0; i < t.height(); i++) {
      System.arraycopy(
          tile.values(),
          i * t.width(),
          values,
          (t.rowStart() + i) * width + t.colStart(),
          t.width());
    }
    placed(
        t,
        tile.rowSquaredNorms(),
        tile.rowErrorScale(),
        tile.colSquaredNorms(),
        tile.colErrorScale(),
        tile.innerLength());
  }

  /** Places a tile straight from the device's memory (one copy). */
  public void add(DeviceTile tile) {
    TilePlan.Tile t = tile.tile();
    requireOfPlan(t);
    tile.copyInto(values, t.rowStart() * plan.cols() + t.colStart(), plan.cols());
    placed(
        t,
        tile.rowSquaredNorms(),
        tile.rowErrorScale(),
        tile.colSquaredNorms(),
        tile.colErrorScale(),
        tile.innerLength());
  }

  private void requireOfPlan(TilePlan.Tile t) {
    if (!plan.tile(t.index()).equals(t)) {
      throw new IllegalArgumentException(
          t + " does not belong to the plan: expected " + plan.tile(t.index()));
    }
  }

  /** Mirrors a placed tile and records its norms. */
  private void placed(
      TilePlan.Tile t,
      double[] rowSquared,
      double[] rowScale,
      double[] colSquared,
      double[] colScale,
      long tileInnerLength) {
    if (plan.symmetric() && t.rowBlock() != t.colBlock()) {
      mirror(t);
    }
    rowNorms.record(t, "row", t.rowStart(), rowSquared, rowScale);
    colNorms.record(t, "column", t.colStart(), colSquared, colScale);
    // The bound's inner length comes from the row blocks only, as in one process.
    innerLength = Math.max(innerLength, tileInnerLength);
    present.set(t.index());
  }

  /** Copies a placed tile below the diagonal, in small squares so both sides stay in cache. */
  private void mirror(TilePlan.Tile t) {
    final int step = 32;
    int width = plan.cols();
    for (int ii = 0; ii < t.height(); ii += step) {
      for (int jj = 0; jj < t.width(); jj += step) {
        int iEnd = Math.min(t.height(), ii + step);
        int jEnd = Math.min(t.width(), jj + step);
        for (int i = ii; i < iEnd; i++) {
          int source = (t.rowStart() + i) * width + t.colStart();
          for (int j = jj; j < jEnd; j++) {
            values[(t.colStart() + j) * width + t.rowStart() + i] = values[source + j];
          }
        }
      }
    }
  }

  /** Whether tile {@code index} has been placed. */
  public boolean has(int index) {
    return present.get(index);
  }

  /** Numbers of the tiles not placed yet, ascending. */
  public int[] missing() {
    BitSet absent = new BitSet(plan.tileCount());
    absent.set(0, plan.tileCount());
    absent.andNot(present);
    return absent.stream().toArray();
  }

  /**
   * The assembled matrix.
   *
   * @param precision the operand precision the tiles were computed at (sets the error bound)
   * @param rowExamples the plan's row examples, in order
   * @param colExamples its column examples ({@code rowExamples} itself for a symmetric plan)
   * @throws IllegalStateException when tiles are missing (they are listed)
   * @throws IllegalArgumentException when a side's size is not the plan's
   */
  public GramMatrix build(Precision precision, GramSide rowExamples, GramSide colExamples) {
    requireSize("row", rowExamples, plan.rows());
    requireSize("column", colExamples, plan.cols());
    int[] missing = missing();
    if (missing.length > 0) {
      throw new IllegalStateException(
          missing.length
              + " of "
              + plan.tileCount()
              + " tiles are missing: "
              + Arrays.toString(missing));
    }
    return new GramMatrix(
        rowExamples,
        colExamples,
        values,
        rowNorms.squared(),
        colNorms.squared(),
        rowNorms.errorScale(),
        colNorms.errorScale(),
        precision.relativeError(innerLength));
  }

  private static void requireSize(String side, GramSide examples, int expected) {
    if (Objects.requireNonNull(examples, side + " examples").size() != expected) {
      throw new IllegalArgumentException(
          examples.size() + " " + side + " examples for a plan of " + expected + " " + side + "s");
    }
  }
}
