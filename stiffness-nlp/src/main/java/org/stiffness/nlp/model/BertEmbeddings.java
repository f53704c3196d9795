package org.stiffness.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.IdEmbedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.stiffness.gradients.ProbeTraversable;
import org.stiffness.gradients.ProbedForward;

/**
 * BERT's input representation: {@code LayerNorm(word[id_t] + position[t] + tokenType[type_t])}.
 *
 * <p>The three tables are DJL {@link IdEmbedding}s, whose probe rule keeps (ids, output gradient)
 * and never builds a {@code (B, V, d)} tensor. Positions are looked up through ids {@code 0..T-1}
 * repeated for every example, so that each example has its own output (and probe) rows.
 *
 * <p>Inputs: token ids {@code (B, T)} and token type ids {@code (B, T)}, integers. Output: {@code
 * (B, T, d)}.
 */
public final class BertEmbeddings extends AbstractBlock implements ProbeTraversable {
  private final IdEmbedding word;
  private final IdEmbedding position;
  private final IdEmbedding tokenType;
  private final LayerNorm norm;
  private final int hidden;

  /**
   * Uninitialised: token, position and token-type embeddings with their layer norm with the sizes
   * of {@code config}.
   */
  public BertEmbeddings(BertConfig config) {
    hidden = config.hidden();
    word = addChildBlock("word_embeddings", table(config.vocabSize(), hidden));
    position = addChildBlock("position_embeddings", table(config.maxPositions(), hidden));
    tokenType = addChildBlock("token_type_embeddings", table(config.typeVocabSize(), hidden));
    norm = addChildBlock("LayerNorm", BertLayers.layerNorm(config));
  }

  private static IdEmbedding table(int rows, int width) {
    return new IdEmbedding.Builder().setDictionarySize(rows).setEmbeddingSize(width).build();
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
    NDArray ids = inputs.get(0);
    NDArray types = inputs.get(1);
    long batch = ids.getShape().get(0);
    long positions = ids.getShape().get(1);
    NDArray positionIds =
        ids.getManager()
            .arange(0f, (float) positions, 1f, DataType.INT64, ids.getDevice())
            .reshape(1, positions)
            .repeat(0, batch);
    NDArray sum =
        children
            .run("word_embeddings", word, new NDList(ids))
            .head()
            .add(children.run("position_embeddings", position, new NDList(positionIds)).head())
            .add(children.run("token_type_embeddings", tokenType, new NDList(types)).head());
    return children.run("LayerNorm", norm, new NDList(sum));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    word.initialize(manager, dataType, inputShapes[0]);
    position.initialize(manager, dataType, inputShapes[0]);
    tokenType.initialize(manager, dataType, inputShapes[1]);
    norm.initialize(manager, dataType, getOutputShapes(inputShapes));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(hidden)};
  }

  /** HuggingFace names (below {@code prefix}) of this block's parameters. */
  void namedParameters(String prefix, Map<String, Parameter> out) {
    out.put(prefix + "word_embeddings.weight", HuggingFaceNames.table(word));
    out.put(prefix + "position_embeddings.weight", HuggingFaceNames.table(position));
    out.put(prefix + "token_type_embeddings.weight", HuggingFaceNames.table(tokenType));
    HuggingFaceNames.layerNorm(norm, prefix + "LayerNorm.", out);
  }
}
