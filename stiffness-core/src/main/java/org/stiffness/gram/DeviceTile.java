package org.stiffness.gram;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.FloatBuffer;

/**
 * One tile {@code K_IJ} of a {@link TilePlan} while it is still on the engine's device: the entries
 * as an fp32 {@code (height, width)} array, and what the Gram matrix keeps per example for the
 * examples it covers. Statistics are reduced from it where it lies; {@link #toHost()} copies it for
 * those who want the entries. It is valid until {@link #close()}, which frees its device memory
 * (the caller of the tile loop closes it after the consumer returns).
 */
public final class DeviceTile implements AutoCloseable {
  private final TilePlan.Tile tile;
  private final boolean mirrored;
  private final NDArray values;
  private final NDManager scope;
  private final double[] rowSquaredNorms;
  private final double[] rowErrorScale;
  private final double[] colSquaredNorms;
  private final double[] colErrorScale;
  private final long innerLength;
  private final Precision precision;

  /**
   * A tile as the engine's tile loop ({@code org.stiffness.gram.internal.TileComputation}) makes
   * it; callers receive tiles, they do not make them.
   *
   * @param tile where the tile sits in its plan
   * @param mirrored an off-diagonal tile of a symmetric plan (see {@link #mirrored()})
   * @param values the fp32 {@code (height, width)} entries on the device
   * @param scope owns {@code values} and whatever else the tile holds; closed by {@link #close()}
   * @param rowSquaredNorms {@code |g_i|^2} of the tile's row examples
   * @param rowErrorScale error scale of the row examples
   * @param colSquaredNorms {@code |g_j|^2} of the tile's column examples
   * @param colErrorScale error scale of the column examples
   * @param innerLength longest inner sum of the products (sets the error bound)
   * @param precision the precision of the operands
   */
  public DeviceTile(
      TilePlan.Tile tile,
      boolean mirrored,
      NDArray values,
      NDManager scope,
      double[] rowSquaredNorms,
      double[] rowErrorScale,
      double[] colSquaredNorms,
      double[] colErrorScale,
      long innerLength,
      Precision precision) {
    this.tile = tile;
    this.mirrored = mirrored;
    this.values = values;
    this.scope = scope;
    this.rowSquaredNorms = rowSquaredNorms;
    this.rowErrorScale = rowErrorScale;
    this.colSquaredNorms = colSquaredNorms;
    this.colErrorScale = colErrorScale;
    this.innerLength = innerLength;
    this.precision = precision;
  }

  /** Where the tile sits in its plan. */
  public TilePlan.Tile tile() {
    return tile;
  }

  /**
   * True for an off-diagonal tile of a symmetric plan: it also stands for its transpose {@code
   * K_JI}, which is never computed, so every statistic counts its pairs once more, transposed.
   */
  public boolean mirrored() {
    return mirrored;
  }

  /** {@code g_i . g_j}, fp32, shape {@code (height, width)}, on the engine's device; not copied. */
  public NDArray values() {
    return values;
  }

  /** A manager on the tile's device for temporaries that should die with the tile. */
  public NDManager manager() {
    return scope;
  }

  /** {@code |g_i|^2} of the row examples (not copied: do not modify). */
  public double[] rowSquaredNorms() {
    return rowSquaredNorms;
  }

  /** Error scale of the row examples (see {@link GramMatrix#errorBound}; not copied). */
  public double[] rowErrorScale() {
    return rowErrorScale;
  }

  /** {@code |g_j|^2} of the column examples (not copied). */
  public double[] colSquaredNorms() {
    return colSquaredNorms;
  }

  /** Error scale of the column examples (not copied). */
  public double[] colErrorScale() {
    return colErrorScale;
  }

  /** Longest inner sum of the row block's products. */
  public long innerLength() {
    return innerLength;
  }

  /** Dimensionless factor of the entries' rounding-error bound (see {@link GramMatrix}). */
  public double relativeError() {
    return precision.relativeError(innerLength);
  }

  /** The entries copied into a row-major float array (one copy, from a view of the memory). */
  public float[] hostValues() {
    float[] out = new float[tile.height() * tile.width()];
    copyInto(out, 0, tile.width());
    return out;
  }

  /**
   * The entries copied, row-major, into the start of {@code target} (at least {@code height *
   * width} long), for a caller that reuses one array from tile to tile.
   */
  public void copyInto(float[] target) {
    if (target.length < tile.height() * tile.width()) {
      throw new IllegalArgumentException(
          target.length
              + " floats cannot hold "
              + tile
              + " of "
              + tile.height()
              + " x "
              + tile.width());
    }
    copyInto(target, 0, tile.width());
  }

  /**
   * Copies the entries into a row-major host matrix of width {@code width}, tile row i at {@code
   * offset + i * width}: straight from a direct view of the device memory on a CPU, where {@code
   * toFloatArray} would make a second copy.
   *
   * @param target the host matrix
   * @param offset where the tile's entry (0, 0) goes
   * @param width the host matrix's row length
   */
  public void copyInto(float[] target, int offset, int width) {
    FloatBuffer source = values.toByteBuffer(true).asFloatBuffer();
    int w = tile.width();
    if (w == width && offset == 0) {
      source.get(0, target, 0, tile.height() * w);
      return;
    }
    for (int i = 0; i < tile.height(); i++) {
      source.get(i * w, target, offset + i * width, w);
    }
  }

  /** The tile on the host, as stored and assembled (norms copied). */
  public GramTile toHost() {
    return new GramTile(
        tile,
        hostValues(),
        rowSquaredNorms.clone(),
        rowErrorScale.clone(),
        colSquaredNorms.clone(),
        colErrorScale.clone(),
        innerLength);
  }

  @Override
  public void close() {
    scope.close();
  }
}
