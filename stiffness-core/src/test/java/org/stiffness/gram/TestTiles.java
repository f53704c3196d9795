package org.stiffness.gram;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.stiffness.gram.internal.TiledGram;

/**
 * Device tiles cut from a host Gram matrix, as {@link TiledGram#forEachTile} would hand them over:
 * for feeding the statistics' reductions with a matrix whose every entry a test controls.
 */
public final class TestTiles {
  private TestTiles() {}

  /**
   * Tile {@code index} of {@code plan}, cut from {@code k}, on {@code manager}'s device (close it).
   *
   * @param precision with {@code innerLength}, sets the entries' error bound as {@code k}'s was set
   */
  public static DeviceTile cut(
      GramMatrix k,
      TilePlan plan,
      int index,
      NDManager manager,
      Precision precision,
      long innerLength) {
    TilePlan.Tile t = plan.tile(index);
    float[] values = new float[t.height() * t.width()];
    double[] rowSq = new double[t.height()];
    double[] rowErr = new double[t.height()];
    double[] colSq = new double[t.width()];
    double[] colErr = new double[t.width()];
    for (int i = 0; i < t.height(); i++) {
      rowSq[i] = k.rowSquaredNorm(t.rowStart() + i);
      rowErr[i] = k.rowErrorScale(t.rowStart() + i);
      for (int j = 0; j < t.width(); j++) {
        values[i * t.width() + j] = k.get(t.rowStart() + i, t.colStart() + j);
      }
    }
    for (int j = 0; j < t.width(); j++) {
      colSq[j] = k.colSquaredNorm(t.colStart() + j);
      colErr[j] = k.colErrorScale(t.colStart() + j);
    }
    NDManager scope = manager.newSubManager();
    return new DeviceTile(
        t,
        plan.symmetric() && t.rowBlock() != t.colBlock(),
        scope.create(values, new Shape(t.height(), t.width())),
        scope,
        rowSq,
        rowErr,
        colSq,
        colErr,
        innerLength,
        precision);
  }

  /** The relative error {@code precision} gives products with inner sums of {@code n} terms. */
  public static double relativeError(Precision precision, long n) {
    return precision.relativeError(n);
  }
}
