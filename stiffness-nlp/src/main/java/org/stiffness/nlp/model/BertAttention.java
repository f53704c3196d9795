package org.stiffness.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.stiffness.gradients.ProbeTraversable;
import org.stiffness.gradients.ProbedForward;

/**
 * The attention half of a BERT layer: multi-head self-attention with the padding mask, an output
 * projection, then residual and LayerNorm (post-norm, as BERT): {@code LayerNorm(x +
 * dense(attention(query(x), key(x), value(x))))}.
 *
 * <p>Inputs: hidden states {@code (B, T, d)} and the mask bias {@code (B, 1, 1, T)} ({@link
 * AttentionMask}). Output: {@code (B, T, d)}.
 */
public final class BertAttention extends AbstractBlock implements ProbeTraversable {
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear dense;
  private final LayerNorm norm;
  private final int heads;

  /** Uninitialised: the multi-head self-attention of one layer with the sizes of {@code config}. */
  public BertAttention(BertConfig config) {
    heads = config.heads();
    query = addChildBlock("query", BertLayers.linear(config.hidden()));
    key = addChildBlock("key", BertLayers.linear(config.hidden()));
    value = addChildBlock("value", BertLayers.linear(config.hidden()));
    dense = addChildBlock("output_dense", BertLayers.linear(config.hidden()));
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
    NDList x = new NDList(inputs.get(0));
    NDArray context =
        ScaledDotProductAttention.attend(
            children.run("query", query, x).head(),
            children.run("key", key, x).head(),
            children.run("value", value, x).head(),
            inputs.get(1),
            heads);
    NDArray projected = children.run("output_dense", dense, new NDList(context)).head();
    return children.run("output_LayerNorm", norm, new NDList(projected.add(x.head())));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (var child : new Linear[] {query, key, value, dense}) {
      child.initialize(manager, dataType, inputShapes[0]);
    }
    norm.initialize(manager, dataType, inputShapes[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  /** HuggingFace names (below {@code prefix}, ending in "attention.") of the parameters. */
  void namedParameters(String prefix, Map<String, Parameter> out) {
    HuggingFaceNames.linear(query, prefix + "self.query.", out);
    HuggingFaceNames.linear(key, prefix + "self.key.", out);
    HuggingFaceNames.linear(value, prefix + "self.value.", out);
    HuggingFaceNames.linear(dense, prefix + "output.dense.", out);
    HuggingFaceNames.layerNorm(norm, prefix + "output.LayerNorm.", out);
  }
}
