package org.stiffness.vision;

import org.stiffness.datasets.BuiltinDigits;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.datasets.preprocess.Preprocessing;
import org.stiffness.datasets.subset.BalancedSubset;

/** The built-in 8x8 digits split 1297 / 500 by seed 0, with the paper's preprocessing. */
final class Digits {
  static final int TRAIN = 1297;

  private Digits() {}

  static TrainTestSplit paperSplit() {
    LabelledImages all = BuiltinDigits.load();
    int[][] parts = BalancedSubset.split(all, TRAIN, 0);
    return Preprocessing.PAPER.apply(
        new TrainTestSplit(
            all.select(parts[0], "digits/train"), all.select(parts[1], "digits/test")));
  }
}
