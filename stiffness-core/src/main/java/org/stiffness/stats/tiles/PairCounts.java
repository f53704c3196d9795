package org.stiffness.stats.tiles;

import org.stiffness.gram.TilePlan;

/**
 * The pair counts of a tile's class (and group) cells and its considered pairs, without a pass over
 * the pairs: valid row examples per group times valid column examples per group, less the
 * self-pairs. Both reductions use it.
 */
final class PairCounts {
  private PairCounts() {}

  /**
   * @param rowInv inverse gradient norms of the tile's rows (0: invalid)
   * @param colInv inverse gradient norms of the tile's columns
   * @param self per tile row, the tile column of the same example, or -1
   * @param rowGroups group index of every row example of the pairing, per grouping (classes first)
   * @param colGroups the same for the column examples
   */
  static void fill(
      StatisticsSums sums,
      double[] rowInv,
      double[] colInv,
      int[] self,
      int[][] rowGroups,
      int[][] colGroups,
      TilePlan.Tile t) {
    long validRows = 0;
    long validCols = 0;
    for (double v : rowInv) {
      validRows += v > 0 ? 1 : 0;
    }
    for (double v : colInv) {
      validCols += v > 0 ? 1 : 0;
    }
    long validSelf = 0;
    for (int i = 0; i < self.length; i++) {
      if (self[i] >= 0 && rowInv[i] > 0 && colInv[self[i]] > 0) {
        validSelf++;
      }
    }
    sums.consideredPairs = validRows * validCols - validSelf;
    int[] sizes = sums.shape().groupSizes();
    for (int g = 0; g < sizes.length; g++) {
      int k = sizes[g];
      long[] perRow = new long[k];
      long[] perCol = new long[k];
      for (int i = 0; i < rowInv.length; i++) {
        if (rowInv[i] > 0) {
          perRow[rowGroups[g][t.rowStart() + i]]++;
        }
      }
      for (int j = 0; j < colInv.length; j++) {
        if (colInv[j] > 0) {
          perCol[colGroups[g][t.colStart() + j]]++;
        }
      }
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          sums.groupPairs[g][a * k + b] = perRow[a] * perCol[b];
        }
      }
      for (int i = 0; i < self.length; i++) {
        int j = self[i];
        if (j >= 0 && rowInv[i] > 0 && colInv[j] > 0) {
          sums.groupPairs[g][rowGroups[g][t.rowStart() + i] * k + colGroups[g][t.colStart() + j]]--;
        }
      }
    }
  }
}
