package org.stiffness.nlp.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.stiffness.gradients.ProbedForward;

/**
 * How a container runs one of its children: directly (DJL's own forward, for training and
 * inference) or through the stiffness engine's probed forward. Each container writes its
 * computation once against this interface, so that the probed pass is the plain pass by
 * construction.
 */
@FunctionalInterface
interface Children {

  /**
   * @param name the child's name, appended to the container's path in probe messages
   * @param child the child block
   * @param inputs its inputs
   * @return its outputs
   */
  NDList run(String name, Block child, NDList inputs);

  /** Children run by their own {@code forward}. */
  static Children plain(ParameterStore store, boolean training, PairList<String, Object> params) {
    return (name, child, inputs) -> child.forward(store, inputs, training, params);
  }

  /** Children run with probes on the outputs of layers that have a gradient rule. */
  static Children probed(ProbedForward forward, String path) {
    return (name, child, inputs) -> forward.forward(child, ProbedForward.join(path, name), inputs);
  }
}
