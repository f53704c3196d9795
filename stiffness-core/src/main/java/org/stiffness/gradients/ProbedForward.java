package org.stiffness.gradients;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;

/**
 * The inference-mode forward pass of the probe path, as a {@link ProbeTraversable} container runs
 * its children through it: every layer that has a gradient rule gets a zero leaf "probe" on its
 * output, from which the backward pass reads {@code dL/d(output)}, and what the layer saw is kept
 * for its rule.
 */
public interface ProbedForward {
  /**
   * Runs a block (and, recursively, its children) in inference mode.
   *
   * @param block the block
   * @param path its path in the model, for messages
   * @param inputs its inputs
   * @return its outputs
   */
  NDList forward(Block block, String path, NDList inputs);

  /**
   * Child path {@code parent/child}.
   *
   * @param parent the container's path ({@code ""} for the model)
   * @param child the child's name in the container
   */
  static String join(String parent, String child) {
    return parent.isEmpty() ? child : parent + "/" + child;
  }
}
