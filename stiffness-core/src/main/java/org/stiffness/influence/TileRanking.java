package org.stiffness.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Offers one tile's candidates to the ranked lists of its columns, where the tile lies: {@code
 * topK} over the tile's rows on its device, then a host merge of the {@code k} candidates per
 * column. A device's {@code topK} breaks ties as it likes, so a column whose k-th score is shared
 * by an entry the device left out (counted on the device: more than k entries at or beyond the k-th
 * score) is ranked again on the host from the whole column, under the lists' order. Either way the
 * tile offers exactly its first k entries of every column under that order.
 */
final class TileRanking {
  /** Columns ranked on the host because of a tie at the device's cut (tests read it). */
  static final AtomicLong TIED_COLUMNS = new AtomicLong();

  /**
   * The device's {@code topK} over a tile's rows, sorted: {@code (values, row indices)}, each
   * {@code (k, width)}. Which of equal entries it keeps is the device's choice (a test gives one
   * that keeps the larger row, as a GPU may).
   */
  @FunctionalInterface
  interface DeviceTopK {
    NDList topK(NDArray values, int k, boolean largest);
  }

  /** libtorch's {@code topk} over dimension 0. */
  static volatile DeviceTopK deviceTopK = (values, k, largest) -> values.topK(k, 0, largest, true);

  private TileRanking() {}

  /**
   * Offers the entries of {@code values} (an fp32 {@code (height, width)} tile on its device, rows
   * = training examples from {@code rowStart}) to columns {@code colStart ..} of {@code lists}.
   * Temporaries belong to {@code values}' manager.
   */
  static void offer(NDArray values, int rowStart, int colStart, RankedLists lists) {
    long[] shape = values.getShape().getShape();
    int height = Math.toIntExact(shape[0]);
    int width = Math.toIntExact(shape[1]);
    int k = Math.min(lists.k(), height);
    // One more than k, sorted: a tie crosses the cut exactly when the (k+1)-th score equals the
    // k-th (the values of a top-k are the same whichever equal entries a device picks).
    int taken = Math.min(k + 1, height);
    NDList top = deviceTopK.topK(values, taken, lists.largest());
    float[] scores = top.get(0).toFloatArray(); // (taken, width)
    long[] rows = top.get(1).toType(DataType.INT64, false).toLongArray();
    List<Integer> tied = new ArrayList<>();
    for (int j = 0; j < width; j++) {
      if (taken > k && scores[(k - 1) * width + j] == scores[k * width + j]) {
        tied.add(j); // numeric equality: -0.0 ties with 0.0
        continue;
      }
      for (int r = 0; r < k; r++) {
        lists.offer(colStart + j, scores[r * width + j], rowStart + (int) rows[r * width + j]);
      }
    }
    if (!tied.isEmpty()) {
      TIED_COLUMNS.addAndGet(tied.size());
      FloatBuffer all = values.toByteBuffer(true).asFloatBuffer();
      for (int j : tied) {
        for (int i = 0; i < height; i++) {
          lists.offer(colStart + j, all.get(i * width + j), rowStart + i);
        }
      }
    }
  }
}
