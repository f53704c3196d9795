package org.stiffness.gram;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.FloatBuffer;
import org.stiffness.gradients.Examples;

/**
 * Computes single tiles of a {@link TilePlan}: tile (I, J) is the product of the operands of row
 * block I and column block J, made by the same code and in the same passes as in {@link
 * TiledGram#compute}, so its entries and norms are bitwise those of the one-process matrix.
 *
 * <p>The operands of the last row block and the last column block are kept, so a run of tiles of
 * one row (the order of {@link TilePlan#tiles()}) extracts each row block once.
 */
public final class TileComputation implements AutoCloseable {

  /** Makes the operands of one block of a set. */
  @FunctionalInterface
  interface BlockMaker {
    BlockOperands make(Examples set, int block);
  }

  private final TilePlan plan;
  private final BlockMaker maker;
  private final NDManager work;
  private final Examples x;
  private final Examples y;
  private final Precision precision;
  private BlockOperands rows;
  private int rowBlock = -1;
  private BlockOperands cols;
  private int colBlock = -1;

  TileComputation(
      TilePlan plan,
      BlockMaker maker,
      NDManager work,
      Examples x,
      Examples y,
      Precision precision) {
    this.plan = plan;
    this.maker = maker;
    this.work = work;
    this.x = x;
    this.y = y;
    this.precision = precision;
  }

  /** The plan whose tiles this computes. */
  public TilePlan plan() {
    return plan;
  }

  /** The operand precision (which sets the error bound of the assembled matrix). */
  public Precision precision() {
    return precision;
  }

  /** Tile number {@code index} of the plan. */
  public GramTile compute(int index) {
    TilePlan.Tile tile = plan.tile(index);
    if (rowBlock != tile.rowBlock()) {
      close(rows);
      rows = null;
      rowBlock = -1;
      rows = maker.make(x, tile.rowBlock());
      rowBlock = tile.rowBlock();
    }
    BlockOperands right;
    if (plan.symmetric() && tile.colBlock() == tile.rowBlock()) {
      right = rows; // the diagonal tile multiplies a block by itself, as TiledGram does
    } else {
      if (colBlock != tile.colBlock()) {
        close(cols);
        cols = null;
        colBlock = -1;
        cols = maker.make(y, tile.colBlock());
        colBlock = tile.colBlock();
      }
      right = cols;
    }
    float[] values = new float[tile.height() * tile.width()];
    try (NDManager tileScope = work.newSubManager()) {
      NDArray product = rows.tile(right);
      product.attach(tileScope);
      FloatBuffer source = product.toByteBuffer(true).asFloatBuffer();
      source.get(0, values, 0, values.length);
    }
    return new GramTile(
        tile,
        values,
        rows.squaredNorms().clone(),
        rows.errorScale().clone(),
        right.squaredNorms().clone(),
        right.errorScale().clone(),
        rows.innerLength());
  }

  private static void close(BlockOperands operands) {
    if (operands != null) {
      operands.close();
    }
  }

  @Override
  public void close() {
    close(rows);
    close(cols);
    rows = null;
    cols = null;
    work.close();
  }
}
