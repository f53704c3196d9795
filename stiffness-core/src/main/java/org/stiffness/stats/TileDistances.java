package org.stiffness.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
   * The tile's distances, exact where the statistics look: for every pair of the tile and every
   * critical value {@code c} in {@code criticalValues} (the bin edges and the critical-length
   * window's ends, compared in float64), the returned {@code d} satisfies {@code (d < c) == (ref <
   * c)} and {@code (d <= c) == (ref <= c)}, where {@code ref} is the float (float32) of the
   * implementation's float64 reference value of that pair. So every pair falls in the same distance
   * bin ({@link DistanceBins#indexOf}) and on the same side of each window end as its reference
   * value, while values away from the critical values may carry the error of a cheaper computation
   * (an implementation says how large).
   *
   * <p>Implementations whose {@link #tile(TilePlan.Tile, NDManager)} values are the reference
   * values (exact distances, test fixtures) need not override this; the default ignores the
   * critical values.
   *
   * @param tile rows {@code [rowStart, rowEnd)} of X and columns {@code [colStart, colEnd)} of Y
   * @param manager owner of the result, on the device where it is wanted
   * @param criticalValues distances at which a comparison must come out as for the reference, in
   *     any order (read, not kept or modified)
   * @return float32 {@code (height, width)} distances in {@code [0, 2]}, on {@code manager}'s
   *     device
   */
  default NDArray tile(TilePlan.Tile tile, NDManager manager, double[] criticalValues) {
    return tile(tile, manager);
  }

  /**
   * The same distances ({@link #tile(TilePlan.Tile, NDManager)}'s) in a row-major float array on
   * the host, for reductions that run there.
   *
   * @param manager for temporaries on the device where the distances are made
   */
  default float[] hostTile(TilePlan.Tile tile, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray d = tile(tile, scope);
      if (!d.getShape().equals(new Shape(tile.height(), tile.width()))) {
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
      return d.toType(DataType.FLOAT32, false).toFloatArray();
    }
  }
}
