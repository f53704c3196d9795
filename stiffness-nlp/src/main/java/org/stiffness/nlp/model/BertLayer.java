package org.stiffness.nlp.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.stiffness.gradients.ProbeTraversable;
import org.stiffness.gradients.ProbedForward;

/**
 * One encoder layer: {@link BertAttention} then {@link BertFeedForward}.
 *
 * <p>Inputs: hidden states {@code (B, T, d)} and the mask bias {@code (B, 1, 1, T)}. Output: {@code
 * (B, T, d)}.
 */
public final class BertLayer extends AbstractBlock implements ProbeTraversable {
  private final BertAttention attention;
  private final BertFeedForward feedForward;

  /**
   * Uninitialised: one encoder layer (attention, then feed-forward) with the sizes of {@code
   * config}.
   */
  public BertLayer(BertConfig config) {
    attention = addChildBlock("attention", new BertAttention(config));
    feedForward = addChildBlock("feed_forward", new BertFeedForward(config));
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
    return children.run("feed_forward", feedForward, children.run("attention", attention, inputs));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    attention.initialize(manager, dataType, inputShapes);
    feedForward.initialize(manager, dataType, inputShapes[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  /** HuggingFace names below {@code prefix} ("bert.encoder.layer.i."). */
  void namedParameters(String prefix, Map<String, Parameter> out) {
    attention.namedParameters(prefix + "attention.", out);
    feedForward.namedParameters(prefix, out);
  }
}
