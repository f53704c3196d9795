package org.stiffness.gram.internal;

import java.util.BitSet;
import org.stiffness.gram.TilePlan;

/**
 * What the tiles of a plan say about each example: its squared gradient norm (and error scale).
 * Every tile touching an example carries these, computed by the same operands, so they must agree
 * bitwise; a disagreement means the tiles were not computed by one deterministic computation (other
 * parameters, inputs, or kernels), and is refused.
 */
public final class ExampleNorms {
  private final double[] squared;
  private final double[] errorScale;
  private final BitSet seen;

  /**
   * @param examples number of examples on this side of the plan
   */
  public ExampleNorms(int examples) {
    squared = new double[examples];
    errorScale = new double[examples];
    seen = new BitSet(examples);
  }

  /**
   * Records the values a tile gives its examples {@code [offset, offset + squared.length)}.
   *
   * @param side "row" or "column", for the message
   * @param errorScales the tile's error scales, or null when they are not kept
   * @throws IllegalArgumentException when a value differs from one another tile gave
   */
  public void record(
      TilePlan.Tile tile, String side, int offset, double[] squaredNorms, double[] errorScales) {
    for (int k = 0; k < squaredNorms.length; k++) {
      int e = offset + k;
      double error = errorScales == null ? 0 : errorScales[k];
      if (seen.get(e)) {
        if (Double.doubleToRawLongBits(squared[e]) != Double.doubleToRawLongBits(squaredNorms[k])
            || Double.doubleToRawLongBits(errorScale[e]) != Double.doubleToRawLongBits(error)) {
          throw new IllegalArgumentException(
              tile
                  + " gives "
                  + side
                  + " example "
                  + e
                  + " the squared gradient norm "
                  + squaredNorms[k]
                  + " but another tile gave "
                  + squared[e]
                  + ": the tiles were not computed by the same deterministic computation");
        }
      } else {
        squared[e] = squaredNorms[k];
        errorScale[e] = error;
        seen.set(e);
      }
    }
  }

  /** {@code |g|^2} per example (0 where no tile told it); not copied. */
  public double[] squared() {
    return squared;
  }

  /** Error scale per example; not copied. */
  public double[] errorScale() {
    return errorScale;
  }
}
