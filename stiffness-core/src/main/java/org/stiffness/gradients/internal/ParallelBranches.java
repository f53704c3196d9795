package org.stiffness.gradients.internal;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.stiffness.gradients.ProbedForward;
import org.stiffness.gradients.rules.LayerField;

/**
 * DJL's {@link ParallelBlock} on the probe path: every branch (child) gets the block's inputs and
 * runs through {@link ProbedForward#forward}, and the block's own combining function joins their
 * outputs, as {@code ParallelBlock.forwardInternal} does. DJL's model-zoo ResNets build each
 * residual unit so: {@code relu(residual(x) + shortcut(x))}.
 *
 * <p>The combining function is taken to be parameter-free arithmetic, like the lambdas of a {@code
 * SequentialBlock}; DJL keeps it in a private field.
 */
final class ParallelBranches {
  @SuppressWarnings("rawtypes")
  private static final LayerField<ParallelBlock, Function> COMBINER =
      LayerField.of(ParallelBlock.class, "function", Function.class);

  private ParallelBranches() {}

  /** Why this block cannot be walked branch by branch, or null when it can. */
  static String unsupportedReason(ParallelBlock block) {
    for (Class<?> type = block.getClass();
        type != ParallelBlock.class;
        type = type.getSuperclass()) {
      for (Method method : type.getDeclaredMethods()) {
        // A subclass with its own forward pass need not combine its branches with the function.
        if (method.getName().equals("forward") || method.getName().equals("forwardInternal")) {
          return type.getSimpleName()
              + " overrides ParallelBlock's forward pass; implement ProbeTraversable or register a"
              + " gradient rule for it";
        }
      }
    }
    try {
      return COMBINER.read(block) == null ? "its combining function is null" : null;
    } catch (ReflectiveOperationException e) {
      return "its combining function cannot be read (" + LayerField.describe(e) + ")";
    }
  }

  /**
   * The block's outputs; only for a block whose {@link #unsupportedReason} is null.
   *
   * @param path the block's path; branches are named {@code path/<child name>}
   */
  @SuppressWarnings("unchecked")
  static NDList forward(ProbedForward forward, ParallelBlock block, String path, NDList inputs) {
    Function<List<NDList>, NDList> combiner;
    try {
      combiner = COMBINER.read(block);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(path + ": " + unsupportedReason(block), e);
    }
    List<NDList> branches = new ArrayList<>();
    for (var child : block.getChildren()) {
      Block branch = child.getValue();
      branches.add(forward.forward(branch, ProbedForward.join(path, child.getKey()), inputs));
    }
    return combiner.apply(branches);
  }
}
