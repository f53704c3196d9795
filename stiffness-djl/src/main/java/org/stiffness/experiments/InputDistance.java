package org.stiffness.experiments;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stiffness.stats.CosineTileDistances;
import org.stiffness.stats.TileDistances;

/** Input distance between the examples of two sets, fixed over training. */
@FunctionalInterface
public interface InputDistance {
  /** {@link #name()} of {@link #cosineOfInputs()}. */
  String COSINE_OF_INPUTS = "cosine-of-inputs";

  /** {@link #name()} of a distance that a saved checkpoint cannot record. */
  String CUSTOM = "custom";

  /**
   * The distances of every (row, column) pair of the two sets, served tile by tile (an {@code
   * (rows.size, cols.size)} matrix of them would cost what the tiles save); built once per pairing
   * and used at every checkpoint.
   *
   * @param owner manager that outlives the measurement, for what the distances keep on devices
   */
  TileDistances between(MeasuredSet rows, MeasuredSet cols, NDManager owner);

  /**
   * What a saved checkpoint records to recompute the distances ({@code cosine-of-inputs} for {@link
   * #cosineOfInputs()}); {@code custom} for a distance a checkpoint cannot name.
   */
  default String name() {
    return CUSTOM;
  }

  /**
   * What recomputes this distance from the saved inputs besides its name (for example the token ids
   * a bag of tokens leaves out), recorded as {@code input_distance_parameters}; null if the name
   * says all.
   */
  default ObjectNode parameters() {
    return null;
  }

  /** Cosine distance of the (first) model input flattened per example: the paper's choice. */
  static InputDistance cosineOfInputs() {
    return new InputDistance() {
      @Override
      public TileDistances between(MeasuredSet rows, MeasuredSet cols, NDManager owner) {
        float[] x = rows.examples().flattenedInputs();
        float[] y = rows == cols ? x : cols.examples().flattenedInputs();
        // Each tile's dot products are one float64 matrix product on the tile's device.
        return new CosineTileDistances(
            x,
            rows.examples().size(),
            y,
            cols.examples().size(),
            rows.examples().inputWidth(),
            owner);
      }

      @Override
      public String name() {
        return COSINE_OF_INPUTS;
      }
    };
  }
}
