package org.stiffness.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.stiffness.gram.TilePlan;

/**
 * The input distances of a pairing, one Gram tile at a time, made where the tile is (paper, "Input
 * distance"): the statistics need the distance of every pair they average, and an {@code N x M}
 * matrix of them would cost as much host memory as the Gram matrix the tiles avoid.
 *
 * <p>Implementations must give every pair the same distance whichever tile asks, so that tiles
 * reduced in different processes add up to one measurement.
 */
@FunctionalInterface
public interface TileDistances {
  /**
   * Distances between the tile's row examples and its column examples.
   *
   * @param tile rows {@code [rowStart, rowEnd)} of X and columns {@code [colStart, colEnd)} of Y
   * @param manager owner of the result, on the device where it is wanted
   * @return float32 {@code (height, width)} distances in {@code [0, 2]}
   */
  NDArray tile(TilePlan.Tile tile, NDManager manager);

  /**
   * Distances between the tile's row examples and its column examples, exact where it matters: for
   * every pair and every critical value {@code c} (the bin edges and the window ends of the
   * statistics), {@code d < c} and {@code d <= c} hold exactly when they hold for the float of the
   * implementation's float64 reference value, so that every pair lands in the bin and window the
   * reference puts it in. Implementations whose values are the reference ones need not override
   * this.
   *
   * @param criticalValues the values the distances are compared with
   */
  default NDArray tile(TilePlan.Tile tile, NDManager manager, double[] criticalValues) {
    return tile(tile, manager);
  }

  /**
   * The same distances in a row-major float array on the host, for reductions that run there; an
   * implementation may skip the device array (see {@link CosineTileDistances}).
   *
   * @param manager for temporaries on the device where the distances are made
   */
  default float[] hostTile(TilePlan.Tile tile, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray d = tile(tile, scope);
      if (!d.getShape().equals(new ai.djl.ndarray.types.Shape(tile.height(), tile.width()))) {
        throw new IllegalArgumentException(
            "the input distances of "
                + tile
                + " have shape "
                + d.getShape()
                + ", expected ("
                + tile.height()
                + ", "
                + tile.width()
                + ")");
      }
      return d.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }
  }
}
