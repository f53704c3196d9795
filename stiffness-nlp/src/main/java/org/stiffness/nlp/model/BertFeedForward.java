package org.stiffness.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.stiffness.gradients.ProbeTraversable;
import org.stiffness.gradients.ProbedForward;

/**
 * The feed-forward half of a BERT layer, applied to every token alone: {@code LayerNorm(x +
 * output(gelu(intermediate(x))))}, GELU in its exact form {@code x Phi(x)} (PyTorch's default, as
 * BERT's "gelu").
 *
 * <p>Input and output: hidden states {@code (B, T, d)}.
 */
public final class BertFeedForward extends AbstractBlock implements ProbeTraversable {
  private final Linear intermediate;
  private final Linear output;
  private final LayerNorm norm;
  private final int width;

  /** Uninitialised: the feed-forward sublayer of one layer with the sizes of {@code config}. */
  public BertFeedForward(BertConfig config) {
    width = config.intermediate();
    intermediate = addChildBlock("intermediate_dense", BertLayers.linear(width));
    output = addChildBlock("output_dense", BertLayers.linear(config.hidden()));
    norm = addChildBlock("output_LayerNorm", BertLayers.layerNorm(config));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return run(Children.plain(store, training, params), inputs);
  }

  @Override
  public NDList forward(ProbedForward forward, String path, NDList inputs) {
    return run(Children.probed(forward, path), inputs);
  }

  private NDList run(Children children, NDList inputs) {
    NDArray x = inputs.get(0);
    NDArray activated =
        Activation.gelu(children.run("intermediate_dense", intermediate, new NDList(x)).head());
    NDArray projected = children.run("output_dense", output, new NDList(activated)).head();
    return children.run("output_LayerNorm", norm, new NDList(projected.add(x)));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape hidden = inputShapes[0];
    intermediate.initialize(manager, dataType, hidden);
    output.initialize(manager, dataType, intermediate.getOutputShapes(new Shape[] {hidden}));
    norm.initialize(manager, dataType, hidden);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  /** HuggingFace names below {@code prefix} (ending in "layer.i."). */
  void namedParameters(String prefix, Map<String, Parameter> out) {
    HuggingFaceNames.linear(intermediate, prefix + "intermediate.dense.", out);
    HuggingFaceNames.linear(output, prefix + "output.dense.", out);
    HuggingFaceNames.layerNorm(norm, prefix + "output.LayerNorm.", out);
  }
}
