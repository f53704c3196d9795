package org.stiffness.gram;

import ai.djl.Device;
import java.util.BitSet;

/**
 * What the tiles of a plan say about each example: its squared gradient norm (and error scale).
 * Every tile touching an example carries these, and a block's operands are computed again when they
 * do not stay cached, or in another process for each shard, so the values of one example are
 * compared: a disagreement beyond what the kernels allow means the tiles were not computed by one
 * computation (other parameters, inputs or kernels), and is refused.
 *
 * <p>What the kernels allow ({@link #tolerance}): on a CPU nothing, the values must agree bitwise
 * (libtorch's CPU kernels give the same bits for the same operands, as every shard test checks). On
 * a GPU cuDNN and cuBLAS may pick other algorithms under other memory pressure, and DJL cannot ask
 * for deterministic ones, so each computation is only within the fp32 bound of the exact value:
 * {@code |fl(|g|^2) - |g|^2| <= c M^2} ({@link Precision#relativeError}, M the error scale), two of
 * them within {@code 2 c M^2}. Why a tolerance rather than one computation of each norm reused by
 * every tile: shards are separate processes that meet only at the merge, so "once" would need a
 * pass over every example before any shard's first tile (for BERT, one more forward and backward of
 * everything) and a file all shards wait for; and each tile's cosines are normalised with the norms
 * its own operands give, consistent with its products.
 */
public final class ExampleNorms {
  private final double[] squared;
  private final double[] errorScale;
  private final BitSet seen;
  private final double tolerance;

  /**
   * Norms that must agree bitwise (a CPU's).
   *
   * @param examples number of examples on this side of the plan
   */
  public ExampleNorms(int examples) {
    this(examples, 0);
  }

  /**
   * @param examples number of examples on this side of the plan
   * @param tolerance how far two values of one example may differ, relative to the larger of its
   *     squared error scale and the values ({@link #tolerance}); 0 asks for bitwise agreement
   */
  public ExampleNorms(int examples, double tolerance) {
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("norm tolerance must be >= 0, got " + tolerance);
    }
    squared = new double[examples];
    errorScale = new double[examples];
    seen = new BitSet(examples);
    this.tolerance = tolerance;
  }

  /**
   * How far two computations of one example's squared gradient norm may differ on {@code device},
   * relative to {@code M^2}: 0 on a CPU (bitwise), {@code 2 precision.relativeError(innerLength)}
   * on a GPU (infinite where the bound says nothing, {@code n u >= 1}).
   *
   * @param innerLength the longest inner sum of the products (and of the norms)
   */
  public static double tolerance(Device device, Precision precision, long innerLength) {
    return device.isGpu() ? 2 * precision.relativeError(innerLength) : 0;
  }

  /** The tolerance these norms are compared with (0: bitwise). */
  public double tolerance() {
    return tolerance;
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
        if (!agree(squared[e], squaredNorms[k], errorScale[e], error)) {
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
                  + (tolerance == 0
                      ? ": the tiles were not computed by the same deterministic computation"
                      : ", further apart than the fp32 bound allows (relative "
                          + tolerance
                          + "): the tiles were not computed by the same computation"));
        }
      } else {
        squared[e] = squaredNorms[k];
        errorScale[e] = error;
        seen.set(e);
      }
    }
  }

  private boolean agree(double norm, double other, double scale, double otherScale) {
    if (tolerance == 0) {
      return Double.doubleToRawLongBits(norm) == Double.doubleToRawLongBits(other)
          && Double.doubleToRawLongBits(scale) == Double.doubleToRawLongBits(otherScale);
    }
    if (norm == other && scale == otherScale) {
      return true; // also for zero gradients, where an infinite tolerance times 0 is NaN
    }
    // M^2 >= |g|^2, so without error scales (tile sums carry none) the norms stand in for them:
    // a tighter test, never a looser one.
    double reference =
        Math.max(Math.max(scale * scale, otherScale * otherScale), Math.max(norm, other));
    return Math.abs(norm - other) <= tolerance * reference
        && Math.abs(scale - otherScale) <= tolerance * Math.max(scale, otherScale);
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
