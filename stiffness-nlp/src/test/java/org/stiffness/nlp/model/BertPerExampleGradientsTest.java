package org.stiffness.nlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stiffness.GradientMethod;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.gradients.SoftmaxCrossEntropy;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.gradients.rules.GradientRules;
import org.stiffness.gram.GramMatrix;

/**
 * The encoder on the stiffness engine's probe path: its per-example gradients against the
 * batch-of-one loop and against float64 finite differences, on a batch with padding inside it and
 * both segments in use.
 */
class BertPerExampleGradientsTest {
  private static final int[] LENGTHS = {9, 4, 6, 2, 7};
  private static final int PAD_TO = 9;

  /** Parametrised layers: 3 tables + LayerNorm, 8 per encoder layer, pooler, classifier. */
  private static final int PROBED_LAYERS = 4 + 8 * TinyBert.CONFIG.layers() + 2;

  private static NDManager manager;
  private static BertClassifier model;
  private static Examples examples;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
    model = TinyBert.randomised(manager, TinyBert.CONFIG, 11);
    NDList batch = TinyBert.batch(manager, TinyBert.CONFIG, LENGTHS, PAD_TO, 5);
    examples = Examples.of("pairs", batch, TinyBert.labels(manager, LENGTHS.length, 3, 2), null);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @Test
  void everyParameterIsCoveredByAProbeRule() {
    assertNull(ProbeExtractor.unsupportedReason(model, GradientRules.defaults()));
    long parameters = 0;
    for (var p : model.getParameters()) {
      parameters += p.getValue().getArray().size();
    }
    float[][] probe = PerExampleGradients.probe(model, examples, manager);
    assertEquals(parameters, probe[0].length, "per-example gradient length = parameter count");
    try (var results = manager.newSubManager();
        var extractor =
            new ProbeExtractor(
                model, new SoftmaxCrossEntropy(), GradientRules.defaults(), Device.cpu())) {
      assertEquals(PROBED_LAYERS, extractor.extract(examples, results).size());
    }
  }

  @Test
  void probeGradientsMatchTheBatchOfOneLoop() {
    float[][] reference = PerExampleGradients.loop(model, examples, manager);
    float[][] probe = PerExampleGradients.probe(model, examples, manager);
    PerExampleGradients.assertClose(reference, probe, 1e-5);
  }

  @Test
  void gramMatricesOfProbeAndGenericEnginesAgreeAndAutoKeepsTheProbePath() {
    GramMatrix generic;
    try (StiffnessEngine engine =
        StiffnessEngine.builder(model).method(GradientMethod.GENERIC).build()) {
      generic = engine.gram(examples);
    }
    try (StiffnessEngine auto = StiffnessEngine.builder(model).build()) {
      assertEquals("probe", auto.method(), "AUTO must not fall back to the loop");
    }
    try (StiffnessEngine engine =
        StiffnessEngine.builder(model).method(GradientMethod.PROBE).build()) {
      GramMatrix probe = engine.gram(examples);
      int n = LENGTHS.length;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double scale = Math.sqrt(generic.get(i, i) * (double) generic.get(j, j));
          assertTrue(scale > 0, "zero gradient for example " + i + " or " + j);
          assertEquals(generic.get(i, j), probe.get(i, j), 1e-5 * scale, "K[" + i + "," + j + "]");
        }
      }
    }
  }

  /** Train-val Grams pair batches padded to different lengths (9 and 6 here). */
  @Test
  void rectangularGramOfSetsWithDifferentPaddedLengthsMatchesTheLoop() {
    NDList shorter = TinyBert.batch(manager, TinyBert.CONFIG, new int[] {6, 2, 5}, 6, 13);
    Examples y =
        Examples.of("val", shorter, TinyBert.labels(manager, 3, 3, 14), new long[] {7, 8, 9});
    GramMatrix generic;
    try (StiffnessEngine engine =
        StiffnessEngine.builder(model).method(GradientMethod.GENERIC).build()) {
      generic = engine.gram(examples, y);
    }
    try (StiffnessEngine engine =
        StiffnessEngine.builder(model).method(GradientMethod.PROBE).build()) {
      GramMatrix probe = engine.gram(examples, y);
      assertEquals(LENGTHS.length, probe.rows());
      assertEquals(3, probe.cols());
      for (int i = 0; i < probe.rows(); i++) {
        for (int j = 0; j < probe.cols(); j++) {
          double scale = Math.sqrt(generic.rowSquaredNorm(i) * generic.colSquaredNorm(j));
          assertEquals(generic.get(i, j), probe.get(i, j), 1e-5 * scale, "K[" + i + "," + j + "]");
        }
      }
    }
  }

  /**
   * Central differences of the float64 copy of the model, {@code (L(w + h) - L(w - h)) / 2h} with h
   * = 1e-5 (truncation and rounding both below 1e-9 relative), for entries of four parameter kinds:
   * an embedding row of a token the example holds, an attention weight, a LayerNorm scale and the
   * classifier bias.
   */
  @Test
  void probeGradientsMatchFloat64FiniteDifferences() {
    BertClassifier wide = TinyBert.inFloat64(manager, model);
    int example = 1;
    long token = examples.inputs().get(0).getLong(example, 2);
    int d = TinyBert.CONFIG.hidden();
    checkEntry(
        wide,
        example,
        "embeddings/word_embeddings",
        "bert.embeddings.word_embeddings.weight",
        (int) token * d + 3);
    checkEntry(
        wide,
        example,
        "layer1/attention/query",
        "bert.encoder.layer.1.attention.self.query.weight",
        5 * d + 7);
    checkEntry(wide, example, "embeddings/LayerNorm", "bert.embeddings.LayerNorm.weight", 4);
    // The layer's gradient is laid out weight first, then bias.
    checkEntry(wide, example, "classifier", "classifier.bias", TinyBert.CONFIG.labels() * d + 2, 2);
  }

  private void checkEntry(BertClassifier wide, int example, String path, String name, int entry) {
    checkEntry(wide, example, path, name, entry, entry);
  }

  /**
   * @param entry index in the layer's materialised gradient
   * @param parameterEntry the same entry's index in the parameter itself
   */
  private void checkEntry(
      BertClassifier wide, int example, String path, String name, int entry, int parameterEntry) {
    float[][] layer = PerExampleGradients.probeLayer(model, examples, path, manager);
    double probe = layer[example][entry];
    double fd =
        centralDifference(wide, example, wide.huggingFaceParameters().get(name), parameterEntry);
    double layerNorm = 0;
    for (float g : layer[example]) {
      layerNorm += g * (double) g;
    }
    assertTrue(Math.abs(fd) > 1e-4 * Math.sqrt(layerNorm), name + ": entry too small to test");
    assertEquals(
        fd, probe, 1e-4 * Math.abs(fd) + 1e-6 * Math.sqrt(layerNorm), name + "[" + entry + "]");
  }

  private double centralDifference(
      BertClassifier wide, int example, Parameter parameter, int entry) {
    double h = 1e-5;
    NDArray array = parameter.getArray();
    double[] original = array.toDoubleArray();
    double[] moved = original.clone();
    moved[entry] = original[entry] + h;
    array.set(moved);
    double plus = loss(wide, example);
    moved[entry] = original[entry] - h;
    array.set(moved);
    double minus = loss(wide, example);
    array.set(original);
    return (plus - minus) / (2 * h);
  }

  private double loss(BertClassifier wide, int example) {
    try (NDManager scope = manager.newSubManager()) {
      NDList one = new NDList();
      for (NDArray input : examples.inputs()) {
        one.add(input.get(scope, new NDIndex("{}:{}", example, example + 1)));
      }
      NDArray logits = wide.forward(new ParameterStore(scope, false), one, false).head();
      double[] z = logits.toDoubleArray();
      int label = (int) examples.labels().getFloat(example);
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : z) {
        sum += Math.exp(v - max);
      }
      return max + Math.log(sum) - z[label];
    }
  }
}
