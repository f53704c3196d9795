package org.stiffness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.DenseGradient;
import org.stiffness.gradients.LayerGradient;
import org.stiffness.gradients.SoftmaxCrossEntropy;
import org.stiffness.gradients.internal.BatchOfOneExtractor;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.gradients.rules.GradientRule;
import org.stiffness.gradients.rules.GradientRules;
import org.stiffness.testing.RandomExamples;

/**
 * A layer type the library does not know, given a gradient rule by its user (docs/engine.md, "Your
 * own layer"), against the batch-of-one loop: DJL's own autograd, one example at a time.
 */
class UserGradientRuleTest {
  private static final Path SOURCE =
      Path.of("src/test/java/org/stiffness/UserGradientRuleTest.java");
  private static final Path GUIDE = Path.of("../docs/engine.md");
  private static NDManager manager;

  // GUIDE-LAYER-BEGIN
  /** {@code y = x * scale + shift} with one scale and one shift per feature, on {@code (B, F)}. */
  static final class FeatureAffine extends AbstractBlock {
    private final Parameter scale;
    private final Parameter shift;

    FeatureAffine() {
      scale =
          addParameter(Parameter.builder().setName("scale").setType(Parameter.Type.GAMMA).build());
      shift =
          addParameter(Parameter.builder().setName("shift").setType(Parameter.Type.BETA).build());
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray x = inputs.singletonOrThrow();
      NDArray s = store.getValue(scale, x.getDevice(), training);
      NDArray b = store.getValue(shift, x.getDevice(), training);
      return new NDList(x.mul(s).add(b));
    }

    @Override
    public void prepare(Shape[] inputShapes) {
      scale.setShape(inputShapes[0].slice(1));
      shift.setShape(inputShapes[0].slice(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return inputShapes;
    }
  }

  /**
   * Per-example gradients of {@link FeatureAffine}: with {@code d_i = dL_i/dy_i} and the input
   * {@code x_i}, {@code dL_i/dscale = d_i * x_i} and {@code dL_i/dshift = d_i}.
   */
  static final class FeatureAffineRule implements GradientRule<FeatureAffine> {
    @Override
    public LayerGradient perExampleGradient(
        FeatureAffine layer, String path, ParameterStore store, NDList saved, NDArray d) {
      NDArray x = saved.singletonOrThrow(); // the default forward keeps the layer's input
      long batch = x.getShape().get(0);
      // Only trainable parameters belong to the gradient, in the layer's order, each row-major.
      NDList parts = new NDList();
      if (layer.getDirectParameters().get("scale").requiresGradient()) {
        parts.add(d.mul(x).reshape(batch, -1));
      }
      if (layer.getDirectParameters().get("shift").requiresGradient()) {
        parts.add(d.reshape(batch, -1));
      }
      return new DenseGradient(path, NDArrays.concat(parts, 1)); // (B, P_layer)
    }
  }

  // GUIDE-LAYER-END

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
    manager.getEngine().setRandomSeed(5);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @Test
  void userRuleGivesThePerExampleGradientsOfTheBatchOfOneLoop() {
    Block model = model();
    RandomExamples x = RandomExamples.of(manager, "x", new Shape(4), 7, 3, 1, 0);
    GradientRules rules =
        GradientRules.defaults().register(FeatureAffine.class, new FeatureAffineRule());
    try (NDManager results = manager.newSubManager();
        ProbeExtractor probe =
            new ProbeExtractor(model, new SoftmaxCrossEntropy(), rules, Device.cpu());
        BatchOfOneExtractor loop =
            new BatchOfOneExtractor(model, new SoftmaxCrossEntropy(), Device.cpu())) {
      List<LayerGradient> layers = probe.extract(x.examples(), results);
      assertEquals(3, layers.size(), "Linear, FeatureAffine, Linear");
      NDList parts = new NDList();
      for (LayerGradient layer : layers) {
        parts.add(layer.materialise());
      }
      float[] fast = NDArrays.concat(parts, 1).toFloatArray();
      float[] reference = loop.extract(x.examples(), results).get(0).materialise().toFloatArray();
      assertEquals(reference.length, fast.length, "parameter count");
      assertClose(reference, fast);
    }
  }

  @Test
  void userRuleKeepsTheEngineOnTheProbePathWithTheLoopsGram() {
    Block model = model();
    RandomExamples x = RandomExamples.of(manager, "x", new Shape(4), 9, 3, 2, 0);
    GradientRules rules =
        GradientRules.defaults().register(FeatureAffine.class, new FeatureAffineRule());
    try (StiffnessEngine probe = StiffnessEngine.builder(model).rules(rules).build();
        StiffnessEngine loop =
            StiffnessEngine.builder(model).method(GradientMethod.GENERIC).build()) {
      assertEquals("probe", probe.method());
      assertNull(probe.fallbackReason());
      assertClose(loop.gram(x.examples()).values(), probe.gram(x.examples()).values());
    }
  }

  @Test
  void withoutTheRuleTheEngineNamesTheLayerThatForcedTheFallback() {
    try (StiffnessEngine engine = StiffnessEngine.builder(model()).build()) {
      assertEquals("generic", engine.method());
      assertEquals(
          "layer 02FeatureAffine (FeatureAffine) has trainable parameters and no gradient rule",
          engine.fallbackReason());
    }
  }

  @Test
  void aRuleRegisteredAfterBuildChangesOnlyEnginesBuiltLater() {
    Block model = model();
    RandomExamples x = RandomExamples.of(manager, "x", new Shape(4), 6, 3, 3, 0);
    GradientRules rules =
        GradientRules.defaults().register(FeatureAffine.class, new FeatureAffineRule());
    try (StiffnessEngine loop =
            StiffnessEngine.builder(model).method(GradientMethod.GENERIC).build();
        StiffnessEngine before = StiffnessEngine.builder(model).rules(rules).build()) {
      rules.register(FeatureAffine.class, new ZeroRule());
      try (StiffnessEngine after = StiffnessEngine.builder(model).rules(rules).build()) {
        float[] reference = loop.gram(x.examples()).values();
        assertClose(reference, before.gram(x.examples()).values());
        // The later rule is really different, or the line above could not fail.
        float[] changed = after.gram(x.examples()).values();
        assertTrue(relativeError(reference, changed) > 1e-3, "the zero rule changed nothing");
      }
    }
  }

  @Test
  void theGuideQuotesTheLayerAndItsRuleVerbatim() throws IOException {
    List<String> lines = Files.readAllLines(SOURCE);
    int begin = lines.indexOf("  // GUIDE-LAYER-BEGIN");
    int end = lines.indexOf("  // GUIDE-LAYER-END");
    assertTrue(begin >= 0 && end > begin, "markers in " + SOURCE);
    String snippet =
        lines.subList(begin + 1, end).stream()
            .map(line -> line.startsWith("  ") ? line.substring(2) : line)
            .collect(Collectors.joining("\n"))
            .stripTrailing();
    assertTrue(
        Files.readString(GUIDE).contains("```java\n" + snippet + "\n```"),
        GUIDE + " must quote the example of " + SOURCE + " verbatim:\n" + snippet);
  }

  /** A rule that claims every per-example gradient of the layer is zero. */
  private static final class ZeroRule implements GradientRule<FeatureAffine> {
    @Override
    public LayerGradient perExampleGradient(
        FeatureAffine layer, String path, ParameterStore store, NDList saved, NDArray d) {
      long batch = d.getShape().get(0);
      return new DenseGradient(path, d.getManager().zeros(new Shape(batch, 2 * d.size() / batch)));
    }
  }

  /** Linear, the user's layer with random scales and shifts, ReLU, Linear; input (B, 4). */
  private static Block model() {
    SequentialBlock model =
        new SequentialBlock()
            .add(Linear.builder().setUnits(5).build())
            .add(new FeatureAffine())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(3).build());
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
    for (var parameter : model.getChildren().get(1).getValue().getDirectParameters()) {
      NDArray array = parameter.getValue().getArray();
      array.set(manager.randomNormal(array.getShape()).toFloatArray());
    }
    return model;
  }

  private static void assertClose(float[] reference, float[] computed) {
    double error = relativeError(reference, computed);
    assertTrue(error <= 1e-5, "relative error " + error);
  }

  /** {@code ||computed - reference|| / ||reference||}; fails on an all-zero reference. */
  private static double relativeError(float[] reference, float[] computed) {
    assertEquals(reference.length, computed.length, "entries");
    double diff = 0;
    double norm = 0;
    for (int k = 0; k < reference.length; k++) {
      diff += (computed[k] - (double) reference[k]) * (computed[k] - (double) reference[k]);
      norm += reference[k] * (double) reference[k];
    }
    assertTrue(norm > 0, "the reference is all zero");
    return Math.sqrt(diff / norm);
  }
}
