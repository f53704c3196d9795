package org.stiffness.stats.tiles;

import java.io.IOException;
import java.nio.file.Path;
import org.stiffness.gram.GramTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.io.NpyBlockWriter;
import org.stiffness.io.NpyDtype;
import org.stiffness.stats.PairTerms;

/**
 * Writes a pairing's full cosine ({@code <f4}) and sign ({@code |i1}) matrices tile by tile, each
 * entry as {@code PairStiffness} makes it (cosine in double, clamped, as float; 0 for a pair with a
 * zero-gradient example; self-pairs hold their value), a mirrored tile also as its transpose. The
 * matrices go straight to their files: nothing N x M is held in memory. The files appear under
 * their names only at {@link #commit()}, once every entry was written.
 */
public final class PairMatrixWriter implements AutoCloseable {
  private final NpyBlockWriter cosine;
  private final NpyBlockWriter sign;

  /**
   * @param cosineFile where the {@code (rows, cols)} cosine matrix goes
   * @param signFile where the {@code (rows, cols)} sign matrix goes
   */
  public PairMatrixWriter(Path cosineFile, Path signFile, int rows, int cols) throws IOException {
    cosine = NpyBlockWriter.create(cosineFile, NpyDtype.FLOAT32, rows, cols);
    NpyBlockWriter s;
    try {
      s = NpyBlockWriter.create(signFile, NpyDtype.INT8, rows, cols);
    } catch (IOException | RuntimeException e) {
      cosine.close();
      throw e;
    }
    sign = s;
  }

  /**
   * Writes a tile's entries (and, for a mirrored tile, those of its transpose).
   *
   * @throws IllegalArgumentException when a squared gradient norm is negative or not finite
   */
  public void write(GramTile tile, boolean mirrored) throws IOException {
    TilePlan.Tile t = tile.tile();
    int h = t.height();
    int w = t.width();
    double[] rowInv = TileChecks.inverseNorms("row", tile.rowSquaredNorms(), t.rowStart());
    double[] colInv = TileChecks.inverseNorms("column", tile.colSquaredNorms(), t.colStart());
    float[] k = tile.values();
    cosine.block(
        t.rowStart(),
        t.colStart(),
        h,
        w,
        (buffer, p) -> buffer.putFloat(cosine(k[p], rowInv[p / w], colInv[p % w])));
    sign.block(
        t.rowStart(),
        t.colStart(),
        h,
        w,
        (buffer, p) -> buffer.put(sign(k[p], rowInv[p / w], colInv[p % w])));
    if (mirrored) {
      // Entry (j, i) of the transpose is computed from row j's norm first, as PairStiffness
      // computes the entries of the mirrored matrix.
      cosine.block(
          t.colStart(),
          t.rowStart(),
          w,
          h,
          (buffer, p) ->
              buffer.putFloat(cosine(k[(p % h) * w + p / h], colInv[p / h], rowInv[p % h])));
      sign.block(
          t.colStart(),
          t.rowStart(),
          w,
          h,
          (buffer, p) -> buffer.put(sign(k[(p % h) * w + p / h], colInv[p / h], rowInv[p % h])));
    }
  }

  /** {@link PairTerms#cosine}; 0 for a pair with an invalid example. */
  private static float cosine(float k, double rowInv, double colInv) {
    return rowInv == 0 || colInv == 0 ? 0 : PairTerms.cosine(k, rowInv, colInv);
  }

  /** {@link PairTerms#sign}; 0 for a pair with an invalid example. */
  private static byte sign(float k, double rowInv, double colInv) {
    return rowInv == 0 || colInv == 0 ? 0 : (byte) PairTerms.sign(k);
  }

  /**
   * Publishes both files.
   *
   * @throws IllegalStateException when a tile was not written
   */
  public void commit() throws IOException {
    cosine.commit();
    sign.commit();
  }

  /** Removes the unfinished files (after {@link #commit()}: nothing to do). */
  @Override
  public void close() throws IOException {
    try {
      cosine.close();
    } finally {
      sign.close();
    }
  }
}
