package org.stiffness.stats.tiles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Sums of a per-pair value by slot (distance bin, within class or not; see {@link TileGeometry}),
 * without a per-pair one-hot and without scatter-add (DJL 0.36 has none): the values of each row
 * are gathered into the row's slot order, summed cumulatively along the row, and each slot's sum is
 * the difference of two of those running sums. The running sums stay within one row of one chunk,
 * so they are no larger than the row's values (no cancellation of a whole tile's sums), and the
 * order of additions is fixed by the order, so the result is deterministic.
 */
final class SlotSums {
  private SlotSums() {}

  /**
   * Per slot, the sum of {@code values} over a chunk's pairs; float64 {@code (S)}.
   *
   * @param values float32 or float64 {@code (n, w)}; float32 only for integer values (their running
   *     sums stay exact below 2^24)
   * @param order the chunk's rows of {@link TileGeometry#order}, int64 {@code (n, w)}
   * @param lastIndex the chunk's rows of {@link TileGeometry#lastIndex}, {@code (n, S)}
   * @param nonEmpty the chunk's rows of {@link TileGeometry#nonEmpty}, {@code (n, S)}
   * @param scope where the temporaries go
   */
  static NDArray of(
      NDArray values, NDArray order, NDArray lastIndex, NDArray nonEmpty, NDManager scope) {
    try (NDManager s = scope.newSubManager()) {
      NDArray inOrder = values.get(s, new NDIndex()).gather(order, 1);
      NDArray running = inOrder.cumSum(1);
      inOrder.close();
      NDArray upTo = running.gather(lastIndex, 1).toType(DataType.FLOAT64, false).mul(nonEmpty);
      running.close();
      NDArray perSlot =
          NDArrays.concat(new NDList(upTo.get(new NDIndex(":, 0:1")), upTo.diff(1, 1)), 1);
      NDArray result = perSlot.sum(new int[] {0});
      result.attach(scope);
      return result;
    }
  }
}
