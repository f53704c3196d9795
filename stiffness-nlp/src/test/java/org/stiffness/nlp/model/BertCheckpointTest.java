package org.stiffness.nlp.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HuggingFace checkpoint directories: the real safetensors layout and BERT's tensor names. */
class BertCheckpointTest {
  private static final BertConfig CONFIG = TinyBert.CONFIG;
  private static NDManager manager;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  /**
   * HuggingFace's BertForSequenceClassification tensor names and shapes, written out from its
   * module tree (not from the code under test).
   */
  private static Map<String, long[]> huggingFaceShapes(BertConfig c) {
    long d = c.hidden();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("bert.embeddings.word_embeddings.weight", new long[] {c.vocabSize(), d});
    shapes.put("bert.embeddings.position_embeddings.weight", new long[] {c.maxPositions(), d});
    shapes.put("bert.embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), d});
    shapes.put("bert.embeddings.LayerNorm.weight", new long[] {d});
    shapes.put("bert.embeddings.LayerNorm.bias", new long[] {d});
    for (int i = 0; i < c.layers(); i++) {
      String p = "bert.encoder.layer." + i + ".";
      for (String linear :
          new String[] {"attention.self.query", "attention.self.key", "attention.self.value"}) {
        shapes.put(p + linear + ".weight", new long[] {d, d});
        shapes.put(p + linear + ".bias", new long[] {d});
      }
      shapes.put(p + "attention.output.dense.weight", new long[] {d, d});
      shapes.put(p + "attention.output.dense.bias", new long[] {d});
      shapes.put(p + "attention.output.LayerNorm.weight", new long[] {d});
      shapes.put(p + "attention.output.LayerNorm.bias", new long[] {d});
      shapes.put(p + "intermediate.dense.weight", new long[] {c.intermediate(), d});
      shapes.put(p + "intermediate.dense.bias", new long[] {c.intermediate()});
      shapes.put(p + "output.dense.weight", new long[] {d, c.intermediate()});
      shapes.put(p + "output.dense.bias", new long[] {d});
      shapes.put(p + "output.LayerNorm.weight", new long[] {d});
      shapes.put(p + "output.LayerNorm.bias", new long[] {d});
    }
    shapes.put("bert.pooler.dense.weight", new long[] {d, d});
    shapes.put("bert.pooler.dense.bias", new long[] {d});
    shapes.put("classifier.weight", new long[] {c.labels(), d});
    shapes.put("classifier.bias", new long[] {c.labels()});
    return shapes;
  }

  private static float[] logits(BertClassifier model, NDList batch) {
    return model.forward(new ParameterStore(manager, false), batch, false).head().toFloatArray();
  }

  private static Map<String, float[]> values(BertClassifier model) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> p : model.huggingFaceParameters().entrySet()) {
      values.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return values;
  }

  @Test
  void savedCheckpointHasTheSafetensorsLayoutAndHuggingFaceNames() throws IOException {
    BertClassifier model = TinyBert.randomised(manager, CONFIG, 3);
    BertCheckpoint.save(model, dir);
    byte[] file = Files.readAllBytes(dir.resolve("model.safetensors"));
    long headerLength = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, (8 + headerLength) % 8, "data section aligned to 8 bytes");
    JsonNode header =
        new ObjectMapper()
            .readTree(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8).trim());
    Map<String, long[]> expected = huggingFaceShapes(CONFIG);
    List<String> names = new ArrayList<>();
    header.fieldNames().forEachRemaining(names::add);
    names.remove("__metadata__");
    assertEquals(List.copyOf(expected.keySet()), names);
    Map<String, float[]> values = values(model);
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      JsonNode entry = header.get(e.getKey());
      assertEquals("F32", entry.get("dtype").textValue(), e.getKey());
      long[] shape = new long[entry.get("shape").size()];
      Arrays.setAll(shape, k -> entry.get("shape").get(k).longValue());
      assertArrayEquals(e.getValue(), shape, e.getKey());
      int begin = (int) (8 + headerLength + entry.get("data_offsets").get(0).longValue());
      float[] stored = new float[values.get(e.getKey()).length];
      ByteBuffer.wrap(file, begin, 4 * stored.length)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(stored);
      assertArrayEquals(values.get(e.getKey()), stored, 0f, e.getKey());
    }
  }

  @Test
  void savedCheckpointLoadsIntoAFreshModelWithIdenticalParametersAndLogits() throws IOException {
    BertClassifier model = TinyBert.randomised(manager, CONFIG, 4);
    BertCheckpoint.save(model, dir);
    BertCheckpoint.Loaded loaded = BertCheckpoint.load(dir, manager, 3);
    assertEquals(CONFIG, loaded.config());
    assertEquals(List.copyOf(huggingFaceShapes(CONFIG).keySet()), loaded.report().loaded());
    assertTrue(loaded.report().freshlyInitialised().isEmpty());
    Map<String, float[]> before = values(model);
    Map<String, float[]> after = values(loaded.model());
    for (String name : before.keySet()) {
      assertArrayEquals(before.get(name), after.get(name), 0f, name);
    }
    NDList batch = TinyBert.batch(manager, CONFIG, new int[] {6, 3, 8}, 8, 2);
    assertArrayEquals(logits(model, batch), logits(loaded.model(), batch), 0f);
  }

  /**
   * A pre-trained BertModel as older tools wrote it, assembled byte by byte: names without the
   * "bert." prefix, LayerNorm gamma/beta, layer 0 in F16 and layer 1 in BF16, the masked-language
   * head and the position_ids buffer, and no classifier. The loaded model computes the same logits
   * as the plain-Java reference on the written values.
   */
  @Test
  void handWrittenPretrainedCheckpointLoadsWithAFreshClassifier() throws IOException {
    Random random = new Random(9);
    RawSafeTensors raw = new RawSafeTensors();
    Map<String, float[]> written = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : huggingFaceShapes(CONFIG).entrySet()) {
      String name = e.getKey();
      if (name.startsWith("classifier.")) {
        continue;
      }
      int n = (int) Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
      String stored =
          name.substring("bert.".length())
              .replace("LayerNorm.weight", "LayerNorm.gamma")
              .replace("LayerNorm.bias", "LayerNorm.beta");
      float[] values = new float[n];
      if (name.contains("layer.0.")) {
        short[] bits = new short[n];
        for (int i = 0; i < n; i++) {
          values[i] = (random.nextInt(1801) - 900) / 1024f; // exact in F16
          bits[i] = float16Bits(values[i]);
        }
        raw.addHalf(stored, "F16", e.getValue(), bits);
      } else if (name.contains("layer.1.")) {
        short[] bits = new short[n];
        for (int i = 0; i < n; i++) {
          bits[i] = (short) (Float.floatToIntBits((float) (0.3 * random.nextGaussian())) >>> 16);
          values[i] = Float.intBitsToFloat(bits[i] << 16);
        }
        raw.addHalf(stored, "BF16", e.getValue(), bits);
      } else {
        for (int i = 0; i < n; i++) {
          values[i] = (float) (0.3 * random.nextGaussian());
        }
        raw.addF32(stored, e.getValue(), values);
      }
      written.put(name, values);
    }
    raw.addF32(
        "cls.predictions.bias", new long[] {CONFIG.vocabSize()}, new float[CONFIG.vocabSize()]);
    raw.add("embeddings.position_ids", "I64", new long[] {1, 2}, new byte[16]);
    Path file = dir.resolve("model.safetensors");
    raw.write(file);

    BertClassifier model = new BertClassifier(CONFIG);
    model.initialize(manager);
    Map<String, float[]> fresh = values(model);
    LoadReport report = BertCheckpoint.loadWeights(model, file);

    assertEquals(List.of("classifier.weight", "classifier.bias"), report.freshlyInitialised());
    assertEquals(List.of("cls.predictions.bias", "embeddings.position_ids"), report.ignored());
    Map<String, float[]> loaded = values(model);
    assertArrayEquals(fresh.get("classifier.weight"), loaded.get("classifier.weight"), 0f);
    for (String name : written.keySet()) {
      assertArrayEquals(written.get(name), loaded.get(name), 0f, name);
    }
    Map<String, float[]> reference = new LinkedHashMap<>(written);
    reference.put("classifier.weight", fresh.get("classifier.weight"));
    reference.put("classifier.bias", fresh.get("classifier.bias"));
    ReferenceBert oracle = new ReferenceBert(CONFIG, reference);
    NDList batch = TinyBert.batch(manager, CONFIG, new int[] {7}, 7, 5);
    double[] expected =
        oracle.logits(
            batch.get(0).get(new NDIndex("0")).toLongArray(),
            batch.get(1).get(new NDIndex("0")).toLongArray());
    float[] actual = logits(model, batch);
    for (int c = 0; c < expected.length; c++) {
      assertEquals(expected[c], actual[c], 1e-5 * (1 + Math.abs(expected[c])), "logit " + c);
    }
  }

  /** The bits of a float that is exactly a normal half (or zero). */
  private static short float16Bits(float value) {
    if (value == 0) {
      return 0;
    }
    int bits = Float.floatToIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    int mantissa = (bits >>> 13) & 0x3ff;
    return (short) (sign | exponent << 10 | mantissa);
  }

  @Test
  void mismatchedCheckpointListsEveryProblemAndLoadsNothing() throws IOException {
    BertClassifier source = TinyBert.randomised(manager, CONFIG, 6);
    RawSafeTensors raw = new RawSafeTensors();
    for (Map.Entry<String, float[]> e : values(source).entrySet()) {
      String name = e.getKey();
      long[] shape = huggingFaceShapes(CONFIG).get(name);
      if (name.equals("bert.encoder.layer.1.output.dense.weight")) {
        continue; // missing
      }
      if (name.equals("bert.embeddings.word_embeddings.weight")) {
        // A vocabulary one larger than the model's.
        raw.addF32(
            name,
            new long[] {shape[0] + 1, shape[1]},
            new float[(int) ((shape[0] + 1) * shape[1])]);
        continue;
      }
      if (name.equals("classifier.bias")) {
        continue; // half a classifier head
      }
      raw.addF32(name, shape, e.getValue());
    }
    raw.addF32("bert.encoder.layer.2.output.dense.weight", new long[] {32, 64}, new float[32 * 64]);
    Path file = dir.resolve("model.safetensors");
    raw.write(file);

    BertClassifier target = TinyBert.randomised(manager, CONFIG, 7);
    Map<String, float[]> before = values(target);
    CheckpointMismatchException error =
        assertThrows(
            CheckpointMismatchException.class, () -> BertCheckpoint.loadWeights(target, file));
    String message = error.getMessage();
    assertTrue(message.startsWith(file.toString()), message);
    assertEquals(4, error.problems().size(), message);
    assertTrue(
        message.contains("missing tensor bert.encoder.layer.1.output.dense.weight [32, 64]"),
        message);
    assertTrue(
        message.contains("unexpected tensor bert.encoder.layer.2.output.dense.weight F32 [32, 64]"),
        message);
    assertTrue(
        message.contains(
            "shape mismatch for bert.embeddings.word_embeddings.weight: file [24, 32], model [23, 32]"),
        message);
    assertTrue(message.contains("missing tensor classifier.bias [3]"), message);
    Map<String, float[]> after = values(target);
    for (String name : before.keySet()) {
      assertArrayEquals(before.get(name), after.get(name), 0f, name + " changed");
    }
  }

  @Test
  void corruptedFilesNameTheFileAndTheTensor() throws IOException {
    Path good = dir.resolve("good.safetensors");
    new RawSafeTensors()
        .addF32("a", new long[] {2, 3}, new float[6])
        .addF32("b", new long[] {4}, new float[4])
        .write(good);
    byte[] bytes = Files.readAllBytes(good);

    Path truncated = dir.resolve("truncated.safetensors");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 3));
    assertMessage(truncated, "tensor 'b'", "truncated");

    Path shortFile = dir.resolve("short.safetensors");
    Files.write(shortFile, new byte[] {1, 2, 3});
    assertMessage(shortFile, "shorter than the 8-byte header length");

    Path hugeHeader = dir.resolve("huge.safetensors");
    byte[] copy = bytes.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
    Files.write(hugeHeader, copy);
    assertMessage(hugeHeader, "header length 1099511627776 does not fit");

    Path notJson = dir.resolve("json.safetensors");
    byte[] broken = bytes.clone();
    broken[8] = 'x';
    Files.write(notJson, broken);
    assertMessage(notJson, "not valid JSON");

    Path wrongSize = dir.resolve("size.safetensors");
    new RawSafeTensors().add("c", "F32", new long[] {3}, new byte[8]).write(wrongSize);
    assertMessage(wrongSize, "tensor 'c'", "hold 8 bytes but F32 [3] needs 12");

    Path dtype = dir.resolve("dtype.safetensors");
    new RawSafeTensors().add("d", "Q4", new long[] {1}, new byte[1]).write(dtype);
    assertMessage(dtype, "tensor 'd'", "unknown dtype 'Q4'");
  }

  private static void assertMessage(Path file, String... parts) {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.open(file));
    assertTrue(error.getMessage().startsWith(file.toString()), error.getMessage());
    for (String part : parts) {
      assertTrue(error.getMessage().contains(part), error.getMessage());
    }
  }

  @Test
  void directoryWithoutWeightsIsRejectedNamingTheMissingFile() throws IOException {
    CONFIG.writeConfigJson(dir.resolve("config.json"));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> BertCheckpoint.load(dir, manager, 3));
    assertTrue(error.getMessage().contains("model.safetensors is missing"), error.getMessage());
  }
}
