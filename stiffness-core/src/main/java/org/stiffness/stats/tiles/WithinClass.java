package org.stiffness.stats.tiles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Per example, the sum of a per-pair value over all its pairs and over its pairs of the same class,
 * from one product with the other side's class one-hot: {@code Q = X C} holds each row's sums by
 * the column's class, so the row's all-pairs sum is {@code sum_c Q_ic} and its within-class sum is
 * {@code Q_i,class(i)}. The same product gives the class cells' sums ({@code R^T Q}).
 */
final class WithinClass {
  private WithinClass() {}

  /**
   * Row sums of {@code x} float64 {@code (n, w)}: {@code [all (n), within (n)]}.
   *
   * @param byColumnClass {@code x C}, float64 {@code (n, k)}
   * @param rowClasses int64 {@code (n, 1)}
   */
  static NDArray[] rows(NDArray byColumnClass, NDArray rowClasses) {
    NDArray all = byColumnClass.sum(new int[] {1});
    NDArray within = byColumnClass.gather(rowClasses, 1).reshape(-1);
    return new NDArray[] {all, within};
  }

  /**
   * Column sums of {@code x} float64 {@code (n, w)} (for a mirrored tile's transpose): {@code [all
   * (w), within (w)]}, from {@code R^T x}, the columns' sums by the row's class (a product whose
   * transposed operand is the small one-hot; {@code x^T R} transposed the large one, measured 4.6
   * ms against 2.4 ms for a 1024 x 1024 chunk).
   *
   * @param rowOneHot the chunk's rows' one-hot classes, float64 {@code (n, k)}
   * @param colClassesRow int64 {@code (1, w)}
   */
  static NDArray[] columns(NDArray x, NDArray rowOneHot, NDArray colClassesRow, NDManager scope) {
    NDArray byRowClass = rowOneHot.transpose().matMul(x);
    byRowClass.attach(scope);
    NDArray all = byRowClass.sum(new int[] {0});
    NDArray within = byRowClass.gather(colClassesRow, 0).reshape(-1);
    return new NDArray[] {all, within};
  }
}
