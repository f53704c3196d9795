package org.stiffness.nlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.Examples;

/**
 * The encoder's forward pass against a plain-Java float64 BERT, padding, inputs, initialisation.
 */
class BertForwardTest {
  private static NDManager manager;
  private static BertClassifier model;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
    model = TinyBert.randomised(manager, TinyBert.CONFIG, 21);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  private static NDArray logits(NDList inputs) {
    return model.forward(new ParameterStore(manager, false), inputs, false).head();
  }

  @Test
  void referenceErfIsAccurate() {
    // Values of erf from its tables (Abramowitz and Stegun 7.1), checking the oracle itself.
    assertEquals(0.5204998778130465, ReferenceBert.erf(0.5), 1e-13);
    assertEquals(0.8427007929497149, ReferenceBert.erf(1), 1e-13);
    assertEquals(-0.9953222650189527, ReferenceBert.erf(-2), 1e-13);
    assertEquals(0.9999779095030014, ReferenceBert.erf(3), 1e-13);
    assertEquals(0.9999992569016276, ReferenceBert.erf(3.5), 1e-13);
  }

  @Test
  void engineGeluIsTheExactErfForm() {
    // At x = 1 the tanh approximation gives 0.841192, 1.5e-4 away from x Phi(x).
    float[] x = {1f, -1f, 2.5f, -0.3f};
    float[] y = Activation.gelu(manager.create(x)).toFloatArray();
    for (int i = 0; i < x.length; i++) {
      assertEquals(ReferenceBert.gelu(x[i]), y[i], 1e-6, "gelu(" + x[i] + ")");
    }
  }

  @Test
  void logitsMatchThePlainJavaReferenceOnTheRealTokens() {
    int[] lengths = {3, 9, 1, 6};
    NDList batch = TinyBert.batch(manager, TinyBert.CONFIG, lengths, 11, 4);
    float[] logits = logits(batch).toFloatArray();
    Map<String, float[]> weights = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> p : model.huggingFaceParameters().entrySet()) {
      weights.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    ReferenceBert reference = new ReferenceBert(TinyBert.CONFIG, weights);
    int labels = TinyBert.CONFIG.labels();
    for (int i = 0; i < lengths.length; i++) {
      NDIndex real = new NDIndex("{}, 0:{}", i, lengths[i]);
      double[] expected =
          reference.logits(
              batch.get(0).get(real).toLongArray(), batch.get(1).get(real).toLongArray());
      for (int c = 0; c < labels; c++) {
        assertEquals(
            expected[c],
            logits[i * labels + c],
            1e-5 * (1 + Math.abs(expected[c])),
            "example " + i + " logit " + c);
      }
    }
  }

  /**
   * The same two examples (5 and 3 real tokens) padded to 5 and to 12 positions, padding holding
   * random ids: same logits, same per-example gradients.
   */
  @Test
  void paddingChangesNeitherLogitsNorPerExampleGradients() {
    NDList wide = TinyBert.batch(manager, TinyBert.CONFIG, new int[] {5, 3}, 12, 8);
    NDList narrow = new NDList();
    for (NDArray input : wide) {
      narrow.add(input.get(":, 0:5"));
    }
    float[] a = logits(narrow).toFloatArray();
    float[] b = logits(wide).toFloatArray();
    for (int k = 0; k < a.length; k++) {
      assertEquals(a[k], b[k], 1e-5 * (1 + Math.abs(a[k])), "logit " + k);
    }
    NDArray labels = manager.create(new float[] {2, 0});
    float[][] narrowGradients =
        PerExampleGradients.probe(model, Examples.of("narrow", narrow, labels, null), manager);
    float[][] wideGradients =
        PerExampleGradients.probe(model, Examples.of("wide", wide, labels, null), manager);
    PerExampleGradients.assertClose(narrowGradients, wideGradients, 1e-5);
  }

  @Test
  void badInputsAreRejectedWithTheInputNamed() {
    NDList batch = TinyBert.batch(manager, TinyBert.CONFIG, new int[] {4, 2}, 4, 1);
    IllegalArgumentException count =
        assertThrows(
            IllegalArgumentException.class, () -> logits(new NDList(batch.get(0), batch.get(1))));
    assertTrue(count.getMessage().contains("3 inputs"), count.getMessage());

    NDList floatMask =
        new NDList(batch.get(0), batch.get(1), batch.get(2).toType(DataType.FLOAT32, false));
    IllegalArgumentException type =
        assertThrows(IllegalArgumentException.class, () -> logits(floatMask));
    assertTrue(type.getMessage().contains("attention mask"), type.getMessage());
    assertTrue(type.getMessage().contains("int64"), type.getMessage());

    NDList ragged = new NDList(batch.get(0), batch.get(1).get(":, 0:3"), batch.get(2));
    IllegalArgumentException shape =
        assertThrows(IllegalArgumentException.class, () -> logits(ragged));
    assertTrue(shape.getMessage().contains("token type ids"), shape.getMessage());
    assertTrue(shape.getMessage().contains("(2, 3)"), shape.getMessage());

    int tooLong = TinyBert.CONFIG.maxPositions() + 1;
    NDList overlong = TinyBert.batch(manager, TinyBert.CONFIG, new int[] {tooLong}, tooLong, 1);
    IllegalArgumentException length =
        assertThrows(IllegalArgumentException.class, () -> logits(overlong));
    assertTrue(length.getMessage().contains("max_position_embeddings = 16"), length.getMessage());
  }

  @Test
  void newModelIsInitialisedAsBert() {
    try (NDManager scope = manager.newSubManager()) {
      BertConfig config = BertConfig.tiny();
      BertClassifier fresh = new BertClassifier(config);
      fresh.initialize(scope);
      for (Map.Entry<String, Parameter> p : fresh.huggingFaceParameters().entrySet()) {
        float[] values = p.getValue().getArray().toFloatArray();
        String name = p.getKey();
        boolean table = name.endsWith("embeddings.weight");
        boolean scale = name.endsWith("LayerNorm.weight");
        if (scale || name.endsWith("bias")) {
          float expected = scale ? 1f : 0f;
          for (float v : values) {
            assertEquals(expected, v, 0f, name);
          }
        } else if (table || values.length >= 1024) {
          // Sample mean and standard deviation of n normals: within 5 standard errors.
          double mean = 0;
          double square = 0;
          for (float v : values) {
            mean += v / (double) values.length;
            square += v * (double) v / values.length;
          }
          double std = Math.sqrt(square - mean * mean);
          double n = values.length;
          assertEquals(0, mean, 5 * 0.02 / Math.sqrt(n), name + " mean");
          assertEquals(0.02, std, 5 * 0.02 / Math.sqrt(2 * n), name + " std");
        }
      }
    }
  }
}
