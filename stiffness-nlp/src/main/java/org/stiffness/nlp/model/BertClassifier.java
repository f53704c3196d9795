package org.stiffness.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stiffness.gradients.ProbeTraversable;
import org.stiffness.gradients.ProbedForward;

/**
 * A BERT-style sentence(-pair) classifier built from DJL primitives (HuggingFace's {@code
 * BertForSequenceClassification} without dropout): {@link BertEmbeddings}, {@code layers} x {@link
 * BertLayer}, a pooler {@code tanh(W h_[CLS] + b)} on position 0 and a linear classifier.
 *
 * <p>Inputs, in this order: token ids {@code (B, T)}, token type ids {@code (B, T)} and the
 * attention mask {@code (B, T)} (1 = real token, 0 = padding), all integer; T may differ between
 * batches, up to {@code maxPositions}. Output: logits {@code (B, labels)}. Padding never changes
 * the result.
 *
 * <p>There is no dropout: the paper measures frozen networks, and a deterministic forward pass is
 * what makes per-example gradients of the batch and of the batch-of-one loop the same. Every
 * container implements {@link ProbeTraversable}, so every parameter reaches the stiffness engine's
 * probe path (Linear on {@code (B, T, d)}, LayerNorm over the feature axis, IdEmbedding).
 *
 * <p>Training from scratch: a new model is initialised as BERT (weights and tables normal with
 * standard deviation {@code initializerRange}, biases 0, LayerNorm 1 and 0) by {@link
 * #initialize(NDManager)}; it trains with DJL's {@code Trainer} like any block.
 */
public final class BertClassifier extends AbstractBlock implements ProbeTraversable {
  private static final String[] INPUT_NAMES = {"token ids", "token type ids", "attention mask"};

  private final BertConfig config;
  private final BertEmbeddings embeddings;
  private final List<BertLayer> layers = new ArrayList<>();
  private final Linear pooler;
  private final Linear classifier;

  /**
   * Uninitialised: an encoder with pooler and classification head with the sizes of {@code config}.
   */
  public BertClassifier(BertConfig config) {
    this.config = config;
    embeddings = addChildBlock("embeddings", new BertEmbeddings(config));
    for (int i = 0; i < config.layers(); i++) {
      layers.add(addChildBlock("layer" + i, new BertLayer(config)));
    }
    pooler = addChildBlock("pooler", BertLayers.linear(config.hidden()));
    classifier = addChildBlock("classifier", BertLayers.linear(config.labels()));
    setInitializer(new NormalInitializer(config.initializerRange()), Parameter.Type.WEIGHT);
  }

  /** The sizes this model was built with. */
  public BertConfig config() {
    return config;
  }

  /** Input shapes {@code (1, T)} x 3 for {@code initialize}. */
  public static Shape[] inputShapes(long sequenceLength) {
    Shape shape = new Shape(1, sequenceLength);
    return new Shape[] {shape, shape, shape};
  }

  /** Initialises every parameter as BERT does (float32), for training from scratch or loading. */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, inputShapes(1));
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
    requireInputs(inputs);
    NDArray hidden =
        children.run("embeddings", embeddings, new NDList(inputs.get(0), inputs.get(1))).head();
    NDArray maskBias = AttentionMask.bias(inputs.get(2), hidden.getDataType());
    for (int i = 0; i < layers.size(); i++) {
      hidden = children.run("layer" + i, layers.get(i), new NDList(hidden, maskBias)).head();
    }
    NDArray first = hidden.get(new NDIndex(":, 0, :")); // the [CLS] token, (B, d)
    NDArray pooled = children.run("pooler", pooler, new NDList(first)).head().tanh();
    return children.run("classifier", classifier, new NDList(pooled));
  }

  private void requireInputs(NDList inputs) {
    if (inputs.size() != INPUT_NAMES.length) {
      throw new IllegalArgumentException(
          "BERT expects 3 inputs (token ids, token type ids, attention mask), got "
              + inputs.size());
    }
    Shape shape = inputs.get(0).getShape();
    for (int k = 0; k < INPUT_NAMES.length; k++) {
      NDArray input = inputs.get(k);
      if (input.getShape().dimension() != 2 || !input.getShape().equals(shape)) {
        throw new IllegalArgumentException(
            "BERT input "
                + k
                + " ("
                + INPUT_NAMES[k]
                + ") has shape "
                + input.getShape()
                + ": expected (B, T) like the token ids "
                + shape);
      }
      if (input.getDataType().isFloating() || input.getDataType() == DataType.BOOLEAN) {
        throw new IllegalArgumentException(
            "BERT input "
                + k
                + " ("
                + INPUT_NAMES[k]
                + ") has type "
                + input.getDataType()
                + ": expected integers (int64)");
      }
    }
    if (shape.get(1) < 1 || shape.get(1) > config.maxPositions()) {
      throw new IllegalArgumentException(
          "BERT input sequences have length "
              + shape.get(1)
              + ": expected 1 to max_position_embeddings = "
              + config.maxPositions());
    }
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    embeddings.initialize(manager, dataType, inputShapes[0], inputShapes[1]);
    Shape hidden = embeddings.getOutputShapes(inputShapes)[0];
    Shape mask = new Shape(hidden.get(0), 1, 1, hidden.get(1));
    for (BertLayer layer : layers) {
      layer.initialize(manager, dataType, hidden, mask);
    }
    Shape pooled = new Shape(hidden.get(0), config.hidden());
    pooler.initialize(manager, dataType, pooled);
    classifier.initialize(manager, dataType, pooled);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), config.labels())};
  }

  /**
   * Every parameter under its HuggingFace {@code BertForSequenceClassification} name ({@code
   * bert.embeddings.word_embeddings.weight}, ..., {@code classifier.bias}), in the model's order.
   */
  public Map<String, Parameter> huggingFaceParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    embeddings.namedParameters("bert.embeddings.", out);
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).namedParameters("bert.encoder.layer." + i + ".", out);
    }
    HuggingFaceNames.linear(pooler, "bert.pooler.dense.", out);
    HuggingFaceNames.linear(classifier, "classifier.", out);
    return Collections.unmodifiableMap(out);
  }
}
