package org.stiffness.nlp.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sizes of a BERT-style encoder with a 3-way (or n-way) classification head, in HuggingFace's
 * vocabulary.
 *
 * @param vocabSize rows of the word embedding table (the tokenizer's vocabulary)
 * @param hidden width d of every token representation
 * @param layers number of encoder layers
 * @param heads attention heads per layer; {@code hidden} must be a multiple of it
 * @param intermediate width of the feed-forward layer
 * @param maxPositions rows of the position embedding table: the longest sequence T
 * @param typeVocabSize rows of the token type (segment) embedding table
 * @param layerNormEps epsilon of every LayerNorm
 * @param labels outputs of the classifier (3 for MNLI)
 * @param initializerRange standard deviation of the normal initialisation of weights and tables
 */
public record BertConfig(
    int vocabSize,
    int hidden,
    int layers,
    int heads,
    int intermediate,
    int maxPositions,
    int typeVocabSize,
    float layerNormEps,
    int labels,
    float initializerRange) {

  /** BERT's WordPiece vocabulary (bert-base-uncased). */
  public static final int BERT_VOCAB_SIZE = 30522;

  /** The only activation implemented: GELU in its exact erf form, as in BERT. */
  public static final String HIDDEN_ACT = "gelu";

  private static final int MNLI_LABELS = 3;

  /**
   * @throws IllegalArgumentException naming every field (by its HuggingFace name) out of range
   */
  public BertConfig {
    List<String> problems = new ArrayList<>();
    positive(problems, "vocab_size", vocabSize);
    positive(problems, "hidden_size", hidden);
    positive(problems, "num_hidden_layers", layers);
    positive(problems, "num_attention_heads", heads);
    positive(problems, "intermediate_size", intermediate);
    positive(problems, "max_position_embeddings", maxPositions);
    positive(problems, "type_vocab_size", typeVocabSize);
    positive(problems, "labels", labels);
    if (heads > 0 && hidden % heads != 0) {
      problems.add("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
    }
    if (!(layerNormEps > 0) || !Float.isFinite(layerNormEps)) {
      problems.add("layer_norm_eps must be a positive number, got " + layerNormEps);
    }
    if (!(initializerRange > 0) || !Float.isFinite(initializerRange)) {
      problems.add("initializer_range must be a positive number, got " + initializerRange);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid BERT configuration: " + String.join("; ", problems));
    }
  }

  private static void positive(List<String> problems, String name, int value) {
    if (value <= 0) {
      problems.add(name + " must be positive, got " + value);
    }
  }

  private static BertConfig preset(int layers, int hidden, int heads, int intermediate) {
    return new BertConfig(
        BERT_VOCAB_SIZE, hidden, layers, heads, intermediate, 512, 2, 1e-12f, MNLI_LABELS, 0.02f);
  }

  /** 2 layers, 32 hidden, 2 heads, 64 intermediate: for tests. */
  public static BertConfig tiny() {
    return preset(2, 32, 2, 64);
  }

  /** BERT-mini: 4 layers, 256 hidden, 4 heads, 1024 intermediate. */
  public static BertConfig mini() {
    return preset(4, 256, 4, 1024);
  }

  /** BERT-small: 4 layers, 512 hidden, 8 heads, 2048 intermediate. */
  public static BertConfig small() {
    return preset(4, 512, 8, 2048);
  }

  /** BERT-base: 12 layers, 768 hidden, 12 heads, 3072 intermediate, vocabulary 30522. */
  public static BertConfig base() {
    return preset(12, 768, 12, 3072);
  }

  /** This configuration with another vocabulary size (the tokenizer's). */
  public BertConfig withVocabSize(int value) {
    return new BertConfig(
        value,
        hidden,
        layers,
        heads,
        intermediate,
        maxPositions,
        typeVocabSize,
        layerNormEps,
        labels,
        initializerRange);
  }

  /** This configuration with another number of classifier outputs. */
  public BertConfig withLabels(int value) {
    return new BertConfig(
        vocabSize,
        hidden,
        layers,
        heads,
        intermediate,
        maxPositions,
        typeVocabSize,
        layerNormEps,
        value,
        initializerRange);
  }

  /** This configuration with another longest sequence (rows of the position table). */
  public BertConfig withMaxPositions(int value) {
    return new BertConfig(
        vocabSize,
        hidden,
        layers,
        heads,
        intermediate,
        value,
        typeVocabSize,
        layerNormEps,
        labels,
        initializerRange);
  }

  /**
   * This configuration with another initialisation scale: BERT's 0.02 suits fine-tuning; a tiny
   * encoder trained from scratch without warm-up learns far more reliably at about 0.1
   * (docs/nlp.md).
   */
  public BertConfig withInitializerRange(float value) {
    return new BertConfig(
        vocabSize,
        hidden,
        layers,
        heads,
        intermediate,
        maxPositions,
        typeVocabSize,
        layerNormEps,
        labels,
        value);
  }

  /** Width of one attention head, {@code hidden / heads}. */
  public int headSize() {
    return hidden / heads;
  }

  /**
   * Reads a HuggingFace BERT {@code config.json}. The classifier gets one output per entry of
   * {@code id2label} when the file has it (a fine-tuned classifier), else 3 (MNLI).
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the file and the key when a key is missing, has the
   *     wrong type or a value this encoder does not implement
   */
  public static BertConfig fromConfigJson(Path file) throws IOException {
    return fromConfigJson(file, MNLI_LABELS);
  }

  /**
   * Reads a HuggingFace BERT {@code config.json}, with {@code labels} classifier outputs unless the
   * file's {@code id2label} says otherwise.
   */
  public static BertConfig fromConfigJson(Path file, int labels) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          file
              + ": not valid JSON (line "
              + e.getLocation().getLineNr()
              + "): "
              + e.getOriginalMessage(),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": expected a JSON object of BERT settings");
    }
    ConfigJson json = new ConfigJson(file, root);
    String act = json.optionalText("hidden_act", HIDDEN_ACT);
    if (!HIDDEN_ACT.equals(act)) {
      throw new IllegalArgumentException(
          file
              + ": hidden_act is '"
              + act
              + "' but this encoder implements only 'gelu' (exact erf form, as BERT)");
    }
    String positions = json.optionalText("position_embedding_type", "absolute");
    if (!"absolute".equals(positions)) {
      throw new IllegalArgumentException(
          file
              + ": position_embedding_type is '"
              + positions
              + "' but this encoder implements only 'absolute'");
    }
    JsonNode id2label = root.get("id2label");
    int outputs = id2label != null && id2label.isObject() ? id2label.size() : labels;
    try {
      return new BertConfig(
          json.integer("vocab_size"),
          json.integer("hidden_size"),
          json.integer("num_hidden_layers"),
          json.integer("num_attention_heads"),
          json.integer("intermediate_size"),
          json.integer("max_position_embeddings"),
          json.integer("type_vocab_size"),
          (float) json.optionalNumber("layer_norm_eps", 1e-12),
          outputs,
          (float) json.optionalNumber("initializer_range", 0.02));
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith(file.toString())) {
        throw e;
      }
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes this configuration as a HuggingFace {@code config.json} that {@link #fromConfigJson}
   * (and HuggingFace's {@code BertConfig}) read back.
   */
  public void writeConfigJson(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    var root = mapper.createObjectNode();
    root.putArray("architectures").add("BertForSequenceClassification");
    root.put("model_type", "bert");
    root.put("vocab_size", vocabSize);
    root.put("hidden_size", hidden);
    root.put("num_hidden_layers", layers);
    root.put("num_attention_heads", heads);
    root.put("intermediate_size", intermediate);
    root.put("max_position_embeddings", maxPositions);
    root.put("type_vocab_size", typeVocabSize);
    root.put("layer_norm_eps", (double) layerNormEps);
    root.put("hidden_act", HIDDEN_ACT);
    root.put("position_embedding_type", "absolute");
    root.put("initializer_range", (double) initializerRange);
    // Dropout is absent from this encoder: stiffness is measured on frozen networks.
    root.put("hidden_dropout_prob", 0.0);
    root.put("attention_probs_dropout_prob", 0.0);
    var id2label = root.putObject("id2label");
    var label2id = root.putObject("label2id");
    for (int i = 0; i < labels; i++) {
      id2label.put(Integer.toString(i), "LABEL_" + i);
      label2id.put("LABEL_" + i, i);
    }
    Files.writeString(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  /** Typed access to config.json keys, with messages naming the file and the key. */
  private record ConfigJson(Path file, JsonNode root) {
    int integer(String key) {
      JsonNode node = root.get(key);
      if (node == null || node.isNull()) {
        throw new IllegalArgumentException(file + ": missing key '" + key + "' (an integer)");
      }
      if (!node.isIntegralNumber() || !node.canConvertToInt()) {
        throw new IllegalArgumentException(
            file + ": key '" + key + "' must be an integer, got " + node);
      }
      return node.intValue();
    }

    double optionalNumber(String key, double fallback) {
      JsonNode node = root.get(key);
      if (node == null || node.isNull()) {
        return fallback;
      }
      if (!node.isNumber()) {
        throw new IllegalArgumentException(
            file + ": key '" + key + "' must be a number, got " + node);
      }
      return node.doubleValue();
    }

    String optionalText(String key, String fallback) {
      JsonNode node = root.get(key);
      if (node == null || node.isNull()) {
        return fallback;
      }
      if (!node.isTextual()) {
        throw new IllegalArgumentException(
            file + ": key '" + key + "' must be a string, got " + node);
      }
      return node.textValue();
    }
  }
}
