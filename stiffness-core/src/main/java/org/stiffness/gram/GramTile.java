package org.stiffness.gram;

import java.util.Objects;

/**
 * One computed tile of a {@link TilePlan}: its entries and what the Gram matrix keeps per example
 * for the examples it covers.
 *
 * @param tile where the tile sits
 * @param values row-major {@code (tile.height(), tile.width())} entries {@code g_i . g_j}, fp32
 * @param rowSquaredNorms {@code |g_i|^2} of the tile's row examples
 * @param rowErrorScale error scale of the row examples (see {@link GramMatrix#errorBound})
 * @param colSquaredNorms {@code |g_j|^2} of the tile's column examples
 * @param colErrorScale error scale of the column examples
 * @param innerLength longest inner sum of the row block's products (sets the error bound)
 */
public record GramTile(
    TilePlan.Tile tile,
    float[] values,
    double[] rowSquaredNorms,
    double[] rowErrorScale,
    double[] colSquaredNorms,
    double[] colErrorScale,
    long innerLength) {

  /**
   * @throws IllegalArgumentException when the values or norms do not match the tile's extent
   */
  public GramTile {
    Objects.requireNonNull(tile, "tile");
    if (values.length != (long) tile.height() * tile.width()) {
      throw new IllegalArgumentException(
          tile
              + ": "
              + values.length
              + " values, expected "
              + tile.height()
              + " x "
              + tile.width());
    }
    requireLength(tile, "row squared norms", rowSquaredNorms, tile.height());
    requireLength(tile, "row error scale", rowErrorScale, tile.height());
    requireLength(tile, "column squared norms", colSquaredNorms, tile.width());
    requireLength(tile, "column error scale", colErrorScale, tile.width());
  }

  private static void requireLength(TilePlan.Tile tile, String name, double[] a, int n) {
    if (a.length != n) {
      throw new IllegalArgumentException(tile + ": " + a.length + " " + name + ", expected " + n);
    }
  }
}
