package org.stiffness.nlp.model;

import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.stiffness.experiments.CheckpointModel;
import org.stiffness.io.JsonFields;
import org.stiffness.io.JsonSummary;

/**
 * A {@link BertClassifier} as a saved checkpoint records it: kind {@value #KIND} and every field of
 * its {@link BertConfig} under {@code model.config}, in HuggingFace's names ({@code vocab_size},
 * {@code hidden_size}, ..., {@code num_labels}); the parameters are in {@code parameters.npz} under
 * their DJL names. Every field is required on reading: a guessed default could rebuild a different
 * network whose parameters still load.
 */
public final class SavedBert implements CheckpointModel {
  /** The model kind recorded. */
  public static final String KIND = "bert";

  private static final String PREFIX = "model.config.";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public ObjectNode config(Block model) {
    if (!(model instanceof BertClassifier bert)) {
      throw new IllegalArgumentException(
          "a bert checkpoint needs a BertClassifier, got " + model.getClass().getName());
    }
    return describe(bert.config());
  }

  /** The fields of {@code c} as recorded under {@code model.config}. */
  public static ObjectNode describe(BertConfig c) {
    ObjectNode o = JsonSummary.mapper().createObjectNode();
    o.put("vocab_size", c.vocabSize());
    o.put("hidden_size", c.hidden());
    o.put("num_hidden_layers", c.layers());
    o.put("num_attention_heads", c.heads());
    o.put("intermediate_size", c.intermediate());
    o.put("max_position_embeddings", c.maxPositions());
    o.put("type_vocab_size", c.typeVocabSize());
    // A float widened to double prints exactly and narrows back to the same float.
    o.put("layer_norm_eps", (double) c.layerNormEps());
    o.put("num_labels", c.labels());
    o.put("initializer_range", (double) c.initializerRange());
    return o;
  }

  /**
   * The configuration recorded in a checkpoint's {@code model.config}.
   *
   * @param classes the checkpoint's {@code model.classes}, which {@code num_labels} must equal
   * @throws IOException naming the file and the field that is missing, of the wrong type or invalid
   */
  public static BertConfig read(int classes, JsonFields f) throws IOException {
    BertConfig c;
    try {
      c =
          new BertConfig(
              f.integer(PREFIX + "vocab_size"),
              f.integer(PREFIX + "hidden_size"),
              f.integer(PREFIX + "num_hidden_layers"),
              f.integer(PREFIX + "num_attention_heads"),
              f.integer(PREFIX + "intermediate_size"),
              f.integer(PREFIX + "max_position_embeddings"),
              f.integer(PREFIX + "type_vocab_size"),
              (float) f.number(PREFIX + "layer_norm_eps"),
              f.integer(PREFIX + "num_labels"),
              (float) f.number(PREFIX + "initializer_range"));
    } catch (IllegalArgumentException e) {
      throw new IOException(f.file() + ": field 'model.config': " + e.getMessage(), e);
    }
    if (c.labels() != classes) {
      throw f.bad(
          PREFIX + "num_labels", "model.classes = " + classes, Integer.toString(c.labels()));
    }
    return c;
  }

  /** An uninitialised classifier of the recorded configuration (the registry's builder). */
  public static Block build(int classes, JsonFields f) throws IOException {
    return new BertClassifier(read(classes, f));
  }
}
