package org.stiffness.gram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The tiles of a Gram matrix {@code K = G_X G_Y^T} between X ({@code rows} examples) and Y ({@code
 * cols} examples) cut in blocks of {@code blockSize} examples, each block computed in forward and
 * backward passes of {@code passSize} examples.
 *
 * <p>Tiles are numbered row-major: tile (I, J) covers rows {@code [I B, min(N, (I + 1) B))} and
 * columns {@code [J B, ...)}. For X = X ({@code symmetric}) only the upper triangle {@code I <= J}
 * is a tile, in the order {@code (0,0), (0,1), ..., (1,1), (1,2), ...}: the order in which the
 * engine computes them in one process ({@link TileSource} for chosen tiles), so that a tile
 * computed on its own has the same block boundaries, the same passes and therefore the same bits.
 *
 * @param rows examples in X, N
 * @param cols examples in Y, M (equal to N when symmetric)
 * @param symmetric X = Y: only tiles with I <= J, mirrored when assembled
 * @param blockSize examples per tile side, B
 * @param passSize examples per forward/backward pass, at most B
 */
public record TilePlan(int rows, int cols, boolean symmetric, int blockSize, int passSize) {

  /**
   * @throws IllegalArgumentException for an empty side, a non-square symmetric plan or sizes below
   *     1
   */
  public TilePlan {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException(
          "a tile plan needs examples on both sides, got " + rows + " x " + cols);
    }
    if (symmetric && rows != cols) {
      throw new IllegalArgumentException(
          "a symmetric tile plan needs as many rows as columns, got " + rows + " x " + cols);
    }
    if (blockSize < 1 || passSize < 1 || passSize > blockSize) {
      throw new IllegalArgumentException(
          "need 1 <= pass size <= block size, got pass size "
              + passSize
              + " and block size "
              + blockSize);
    }
  }

  /**
   * One tile: its number in the plan, its block coordinates and the example ranges it covers.
   *
   * @param index position in {@link #tiles()}
   * @param rowBlock I
   * @param colBlock J
   * @param rowStart first row example (inclusive)
   * @param rowEnd last row example (exclusive)
   * @param colStart first column example (inclusive)
   * @param colEnd last column example (exclusive)
   */
  public record Tile(
      int index, int rowBlock, int colBlock, int rowStart, int rowEnd, int colStart, int colEnd) {
    /** Rows of the tile. */
    public int height() {
      return rowEnd - rowStart;
    }

    /** Columns of the tile. */
    public int width() {
      return colEnd - colStart;
    }

    /** {@code (I, J)}, for messages. */
    @Override
    public String toString() {
      return "tile " + index + " (" + rowBlock + "," + colBlock + ")";
    }
  }

  /** The matrix the plan covers, for messages: {@code "R x C"}, then {@code " (symmetric)"}. */
  public String extent() {
    return rows + " x " + cols + (symmetric ? " (symmetric)" : "");
  }

  /** Blocks of X. */
  public int rowBlocks() {
    return blocks(rows);
  }

  /** Blocks of Y. */
  public int colBlocks() {
    return blocks(cols);
  }

  /** Tiles in the plan: {@code k (k + 1) / 2} for k blocks when symmetric, else rows x cols. */
  public int tileCount() {
    long n =
        symmetric ? (long) rowBlocks() * (rowBlocks() + 1) / 2 : (long) rowBlocks() * colBlocks();
    return Math.toIntExact(n);
  }

  /** Every tile, in plan order. */
  public List<Tile> tiles() {
    List<Tile> out = new ArrayList<>(tileCount());
    for (int i = 0; i < rowBlocks(); i++) {
      for (int j = symmetric ? i : 0; j < colBlocks(); j++) {
        out.add(
            new Tile(
                out.size(),
                i,
                j,
                i * blockSize,
                Math.min(rows, (i + 1) * blockSize),
                j * blockSize,
                Math.min(cols, (j + 1) * blockSize)));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Tile number {@code index}. */
  public Tile tile(int index) {
    if (index < 0 || index >= tileCount()) {
      throw new IndexOutOfBoundsException(
          "tile " + index + " of a plan with " + tileCount() + " tiles");
    }
    return tiles().get(index);
  }

  private int blocks(int n) {
    return (n + blockSize - 1) / blockSize;
  }
}
