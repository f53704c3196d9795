package org.stiffness.nlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HuggingFace config.json files and the size presets. */
class BertConfigTest {
  /** bert-base-uncased's config.json as published. */
  private static final String BERT_BASE_UNCASED =
      """
      {
        "architectures": ["BertForMaskedLM"],
        "attention_probs_dropout_prob": 0.1,
        "gradient_checkpointing": false,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": 768,
        "initializer_range": 0.02,
        "intermediate_size": 3072,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": 512,
        "model_type": "bert",
        "num_attention_heads": 12,
        "num_hidden_layers": 12,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "transformers_version": "4.6.0.dev0",
        "type_vocab_size": 2,
        "use_cache": true,
        "vocab_size": 30522
      }
      """;

  @TempDir Path dir;

  private Path write(String json) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void bertBaseConfigJsonIsTheBasePreset() throws IOException {
    BertConfig config = BertConfig.fromConfigJson(write(BERT_BASE_UNCASED));
    assertEquals(BertConfig.base(), config);
    assertEquals(64, config.headSize());
  }

  @Test
  void presetsHaveThePublishedSizes() {
    assertSizes(BertConfig.tiny(), 2, 32, 2, 64);
    assertSizes(BertConfig.mini(), 4, 256, 4, 1024);
    assertSizes(BertConfig.small(), 4, 512, 8, 2048);
    assertSizes(BertConfig.base(), 12, 768, 12, 3072);
    assertEquals(30522, BertConfig.base().vocabSize());
    assertEquals(1000, BertConfig.mini().withVocabSize(1000).vocabSize());
  }

  private static void assertSizes(
      BertConfig config, int layers, int hidden, int heads, int intermediate) {
    assertEquals(layers, config.layers());
    assertEquals(hidden, config.hidden());
    assertEquals(heads, config.heads());
    assertEquals(intermediate, config.intermediate());
  }

  @Test
  void labelsComeFromId2LabelWhenPresent() throws IOException {
    String twoWay =
        BERT_BASE_UNCASED.replace(
            "\"use_cache\": true,", "\"id2label\": {\"0\": \"no\", \"1\": \"yes\"},");
    assertEquals(2, BertConfig.fromConfigJson(write(twoWay)).labels());
    assertEquals(3, BertConfig.fromConfigJson(write(BERT_BASE_UNCASED)).labels());
    assertEquals(5, BertConfig.fromConfigJson(write(BERT_BASE_UNCASED), 5).labels());
  }

  @Test
  void writtenConfigJsonReadsBack() throws IOException {
    BertConfig config = BertConfig.small().withVocabSize(777).withLabels(4).withMaxPositions(128);
    Path file = dir.resolve("config.json");
    config.writeConfigJson(file);
    assertEquals(config, BertConfig.fromConfigJson(file, 3));
  }

  @Test
  void missingKeyIsNamedWithTheFile() throws IOException {
    Path file = write(BERT_BASE_UNCASED.replace("\"num_attention_heads\": 12,", ""));
    assertError(file, "missing key 'num_attention_heads' (an integer)");
  }

  @Test
  void wrongTypeIsNamed() throws IOException {
    Path file =
        write(BERT_BASE_UNCASED.replace("\"hidden_size\": 768", "\"hidden_size\": \"768\""));
    assertError(file, "key 'hidden_size' must be an integer, got \"768\"");
  }

  @Test
  void approximateGeluIsRefused() throws IOException {
    Path file = write(BERT_BASE_UNCASED.replace("\"gelu\"", "\"gelu_new\""));
    assertError(file, "hidden_act is 'gelu_new'", "only 'gelu'");
  }

  @Test
  void relativePositionsAreRefused() throws IOException {
    Path file = write(BERT_BASE_UNCASED.replace("\"absolute\"", "\"relative_key\""));
    assertError(file, "position_embedding_type is 'relative_key'");
  }

  @Test
  void headsMustDivideTheHiddenSize() throws IOException {
    Path file =
        write(
            BERT_BASE_UNCASED.replace("\"num_attention_heads\": 12", "\"num_attention_heads\": 7"));
    assertError(file, "hidden_size 768 is not a multiple of num_attention_heads 7");
  }

  @Test
  void invalidJsonIsReportedWithItsLine() throws IOException {
    Path file = write("{\n  \"vocab_size\": 30522,\n  oops\n}");
    assertError(file, "not valid JSON (line 3)");
  }

  private static void assertError(Path file, String... parts) {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> BertConfig.fromConfigJson(file));
    assertTrue(error.getMessage().startsWith(file.toString()), error.getMessage());
    for (String part : parts) {
      assertTrue(error.getMessage().contains(part), error.getMessage());
    }
  }
}
