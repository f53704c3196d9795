package org.stiffness.gradients;

import ai.djl.ndarray.NDList;

/**
 * A container block that is neither a {@code SequentialBlock} nor a plain {@code ParallelBlock} (a
 * residual block of its own, an attention block) implements this to let the probe extractor see
 * inside it: it runs its children through {@link ProbedForward#forward} instead of calling their
 * {@code forward} directly, and combines their outputs with parameter-free arithmetic.
 */
public interface ProbeTraversable {

  /**
   * @param forward runs a child with probes on its output where the child has a gradient rule
   * @param path this block's path in the model; children are named {@code ProbedForward.join(path,
   *     childName)}
   * @param inputs this block's inputs
   * @return this block's outputs, exactly as its own {@code forward} would give them in inference
   *     mode
   */
  NDList forward(ProbedForward forward, String path, NDList inputs);
}
