package org.stiffness.stats.tiles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.PairTerms;

/**
 * The checks of a tile's inputs and their messages, which name the example or pair at fault in the
 * pairing's numbering (not the tile's). The reducer counts bad entries and distances on the device
 * as part of its one read; only when a count is not zero does it copy the tile or its distances
 * here to name the first one.
 */
final class TileChecks {
  private TileChecks() {}

  /**
   * {@code 1/|g|} per example ({@link PairTerms#inverseNorm}), 0 for a zero gradient.
   *
   * @param side "row" or "column"
   * @param offset the pairing's index of the first example
   * @throws IllegalArgumentException when a squared norm is negative or not finite
   */
  static double[] inverseNorms(String side, double[] squared, int offset) {
    double[] inv = new double[squared.length];
    for (int i = 0; i < squared.length; i++) {
      double sq = squared[i];
      if (!Double.isFinite(sq) || sq < 0) {
        throw new IllegalArgumentException(
            side
                + " example "
                + (offset + i)
                + " has squared gradient norm "
                + sq
                + "; expected a finite value >= 0");
      }
      inv[i] = PairTerms.inverseNorm(sq);
    }
    return inv;
  }

  /**
   * Looks for a non-finite entry of a valid pair (rows, then columns), reading the tile to the
   * host: only called when the reduction's check sum was not finite.
   *
   * @throws IllegalArgumentException naming the first such entry
   */
  static void requireFinite(DeviceTile tile, double[] rowInverseNorms, double[] colInverseNorms) {
    float[] k = tile.hostValues();
    TilePlan.Tile t = tile.tile();
    int w = t.width();
    for (int i = 0; i < t.height(); i++) {
      for (int j = 0; j < w; j++) {
        float v = k[i * w + j];
        if (rowInverseNorms[i] > 0 && colInverseNorms[j] > 0 && !Float.isFinite(v)) {
          throw new IllegalArgumentException(
              "Gram entry ("
                  + (t.rowStart() + i)
                  + ", "
                  + (t.colStart() + j)
                  + ") is not finite: "
                  + v);
        }
      }
    }
  }

  /** The first input distance outside [0, 2] (or NaN), as the error to throw. */
  static IllegalArgumentException firstBadDistance(NDArray d, TilePlan.Tile t) {
    float[] values = d.toType(DataType.FLOAT32, false).toFloatArray();
    for (int p = 0; p < values.length; p++) {
      if (!(values[p] >= 0 && values[p] <= 2)) {
        return new IllegalArgumentException(
            "input distance ("
                + (t.rowStart() + p / t.width())
                + ", "
                + (t.colStart() + p % t.width())
                + ") = "
                + values[p]
                + " is outside [0, 2]");
      }
    }
    return new IllegalArgumentException(t + ": an input distance is outside [0, 2]");
  }
}
