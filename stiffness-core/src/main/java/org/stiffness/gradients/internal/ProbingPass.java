package org.stiffness.gradients.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.stiffness.gradients.ProbeTraversable;
import org.stiffness.gradients.ProbedForward;
import org.stiffness.gradients.rules.GradientRule;
import org.stiffness.gradients.rules.GradientRules;
import org.stiffness.gradients.rules.LayerForward;

/**
 * The {@link ProbedForward} of the probe extractor: one inference-mode forward pass that adds a
 * zero leaf "probe" to the output of every layer that has a gradient rule, and records what that
 * layer saw.
 *
 * <p>DJL returns zeros for gradients of non-leaf arrays, so {@code dL/d(output)} is read from the
 * probe: {@code y + z} with {@code z = 0} leaves the forward unchanged and {@code dL/dz = dL/dy}.
 */
final class ProbingPass implements ProbedForward {
  private final GradientRules rules;
  private final ParameterStore store;
  private final NDManager manager;
  private final List<Probe> probes = new ArrayList<>();

  /** What a layer's rule kept from its forward pass, and the probe on its output. */
  record Probe(Block layer, GradientRule<Block> rule, String path, NDList saved, NDArray probe) {}

  ProbingPass(GradientRules rules, ParameterStore store, NDManager manager) {
    this.rules = rules;
    this.store = store;
    this.manager = manager;
  }

  @Override
  public NDList forward(Block block, String path, NDList inputs) {
    GradientRule<Block> rule = rules.find(block);
    if (rule != null && hasTrainableParameters(block)) {
      LayerForward pass = rule.forward(block, store, inputs);
      NDList outputs = pass.outputs();
      NDArray output = outputs.head();
      NDArray probe = manager.zeros(output.getShape(), output.getDataType(), output.getDevice());
      probe.setRequiresGradient(true);
      probes.add(new Probe(block, rule, path, pass.saved(), probe));
      NDList probed = new NDList(outputs.size());
      probed.add(output.add(probe));
      probed.addAll(outputs.subNDList(1));
      return probed;
    }
    if (block instanceof ProbeTraversable container) {
      return container.forward(this, path, inputs);
    }
    if (block instanceof SequentialBlock sequential && !sequential.isReturnIntermediate()) {
      NDList current = inputs;
      for (var child : sequential.getChildren()) {
        current = forward(child.getValue(), ProbedForward.join(path, child.getKey()), current);
      }
      return current;
    }
    if (block instanceof ParallelBlock parallel
        && ParallelBranches.unsupportedReason(parallel) == null) {
      return ParallelBranches.forward(this, parallel, path, inputs);
    }
    if (!hasTrainableParameters(block)) {
      return block.forward(store, inputs, false);
    }
    throw new IllegalStateException("no gradient rule for " + path);
  }

  List<Probe> probes() {
    return probes;
  }

  static boolean hasTrainableParameters(Block block) {
    for (var parameter : block.getParameters()) {
      if (parameter.getValue().requiresGradient()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why the probe extractor cannot handle this model (the first offending layer), or null when
   * every trainable layer is covered by a rule.
   */
  static String unsupportedReason(Block block, String path, GradientRules rules) {
    GradientRule<Block> rule = rules.find(block);
    if (rule != null && hasTrainableParameters(block)) {
      String reason = rule.unsupportedReason(block);
      return reason == null ? null : "layer " + describe(block, path) + ": " + reason;
    }
    String parallelReason =
        block instanceof ParallelBlock parallel && !(block instanceof ProbeTraversable)
            ? ParallelBranches.unsupportedReason(parallel)
            : null;
    if (parallelReason != null && hasTrainableParameters(block)) {
      return "layer " + describe(block, path) + ": " + parallelReason;
    }
    boolean container =
        block instanceof ProbeTraversable
            || (block instanceof SequentialBlock s && !s.isReturnIntermediate())
            || (block instanceof ParallelBlock && parallelReason == null);
    if (container) {
      for (var parameter : block.getDirectParameters()) {
        if (parameter.getValue().requiresGradient()) {
          return "layer "
              + describe(block, path)
              + " has its own trainable parameter '"
              + parameter.getKey()
              + "' and no gradient rule";
        }
      }
      for (var child : block.getChildren()) {
        String reason =
            unsupportedReason(child.getValue(), ProbedForward.join(path, child.getKey()), rules);
        if (reason != null) {
          return reason;
        }
      }
      return null;
    }
    if (!hasTrainableParameters(block)) {
      return null;
    }
    return "layer " + describe(block, path) + " has trainable parameters and no gradient rule";
  }

  private static String describe(Block block, String path) {
    return (path.isEmpty() ? "<model>" : path) + " (" + block.getClass().getSimpleName() + ")";
  }
}
