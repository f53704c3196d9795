package org.stiffness.gradients;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * A loss evaluated separately for every example of a batch.
 *
 * <p>Stiffness is defined on per-example losses: a batch mean would scale every gradient dot
 * product by {@code 1/B^2}, so implementations must never average over the batch.
 */
@FunctionalInterface
public interface PerExampleLoss {

  /**
   * @param predictions the model's outputs for a batch of B examples
   * @param labels the labels, leading dimension B
   * @return the loss of each example, shape {@code (B)}
   */
  NDArray perExample(NDList predictions, NDArray labels);
}
