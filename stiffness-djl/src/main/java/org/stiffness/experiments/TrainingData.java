package org.stiffness.experiments;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Labelled examples as training and evaluation read them: any subset of rows, turned into model
 * inputs on demand. Images are sliced from one buffer; text is padded per batch to its longest
 * example, which is why a batch is built from row indices rather than stored as one tensor.
 */
public interface TrainingData {

  /** Number of examples. */
  int size();

  /** Class of example {@code row}. */
  int label(int row);

  /**
   * Model inputs of examples {@code rows}, in that order, leading dimension {@code rows.length},
   * owned by {@code manager}.
   */
  NDList inputs(NDManager manager, int[] rows);

  /**
   * Examples per forward pass when evaluating: large for small images, smaller for long sequences
   * whose attention scores grow with {@code T^2}.
   */
  default int evaluationBatch() {
    return 1024;
  }
}
