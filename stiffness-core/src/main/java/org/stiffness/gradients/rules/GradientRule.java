package org.stiffness.gradients.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.stiffness.gradients.LayerGradient;

/**
 * The per-example gradient of one layer type (an Opacus grad sampler): given what the layer saw and
 * the gradient of the summed per-example losses at its output, the exact per-example gradient of
 * the layer's own parameters.
 *
 * <p>Because the losses are summed and examples do not interact inside a frozen network in
 * inference mode, row i of {@code outputGradient} is exactly {@code dL_i/d(output_i)}.
 *
 * @param <L> the layer type
 */
public interface GradientRule<L extends Block> {

  /**
   * @param layer the layer
   * @param path the layer's path in the model, for messages
   * @param store the parameter store the forward pass used
   * @param saved what {@link #forward} kept for the gradient (by default the layer's input),
   *     leading dimension B
   * @param outputGradient {@code dL/d(output)}, shape of the layer's (first) output
   * @return the per-example gradients of the layer's parameters
   */
  LayerGradient perExampleGradient(
      L layer, String path, ParameterStore store, NDList saved, NDArray outputGradient);

  /**
   * The layer's inference-mode forward pass as the probe extractor runs it, and what the gradient
   * will need: by default the layer's own forward and its input. A rule may compute the same
   * function from operations with trustworthy gradients, and keep intermediate arrays (such as
   * im2col patches) so that the gradient does not rebuild them.
   */
  default LayerForward forward(L layer, ParameterStore store, NDList inputs) {
    return new LayerForward(layer.forward(store, inputs, false), inputs);
  }

  /**
   * Why this rule cannot handle this particular layer configuration (for example grouped
   * convolutions), or null when it can. A model with such a layer falls back to the batch-of-one
   * extractor.
   */
  default String unsupportedReason(L layer) {
    return null;
  }
}
