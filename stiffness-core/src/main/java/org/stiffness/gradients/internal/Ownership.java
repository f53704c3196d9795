package org.stiffness.gradients.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.stiffness.gradients.DenseGradient;
import org.stiffness.gradients.Examples;
import org.stiffness.gradients.IndexedRowGradient;
import org.stiffness.gradients.LayerGradient;
import org.stiffness.gradients.OuterProductGradient;

/** Moves the arrays of a gradient to the manager that outlives the pass that made them. */
final class Ownership {
  private Ownership() {}

  /**
   * Borrows the batch's arrays into {@code work} so that everything computed from them is freed
   * with it; they return to their owner when {@code work} closes.
   */
  static void borrow(Examples batch, NDManager work) {
    batch.inputs().tempAttach(work);
    batch.labels().tempAttach(work);
  }

  static LayerGradient attach(LayerGradient gradient, Examples batch, NDManager owner) {
    if (gradient instanceof OuterProductGradient g) {
      return new OuterProductGradient(
          g.layer(),
          keep(g.activations(), batch, owner),
          keep(g.outputGradients(), batch, owner),
          g.bias());
    } else if (gradient instanceof DenseGradient g) {
      return new DenseGradient(g.layer(), keep(g.gradients(), batch, owner));
    } else if (gradient instanceof IndexedRowGradient g) {
      return new IndexedRowGradient(
          g.layer(),
          keep(g.indices(), batch, owner),
          keep(g.outputGradients(), batch, owner),
          g.rows());
    }
    throw new IllegalArgumentException("unknown gradient type " + gradient.getClass());
  }

  /** A borrowed array cannot change owner (its owner would lose it): keep a copy instead. */
  private static NDArray keep(NDArray array, Examples batch, NDManager owner) {
    NDList inputs = batch.inputs();
    boolean borrowed = array == batch.labels();
    for (NDArray input : inputs) {
      borrowed |= array == input;
    }
    NDArray kept = borrowed ? array.duplicate() : array;
    kept.attach(owner);
    return kept;
  }
}
