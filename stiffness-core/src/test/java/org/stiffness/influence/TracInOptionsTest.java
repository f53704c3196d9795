package org.stiffness.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.Checkpoint;
import org.stiffness.gram.GramOptions;
import org.stiffness.influence.InfluenceOracle.Setup;
import org.stiffness.oracle.OracleNet;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.RandomExamples;

/**
 * The options around the computation: restricting the gradients to chosen layers (against the
 * oracle's gradients cut to those layers' parameters), naming a layer that does not exist, the
 * checkpoints' weights and loaders, and the model left as it was found.
 */
class TracInOptionsTest {
  private static final double[] WEIGHTS = {0.5, 2};
  private static final int CLASSES = 4;
  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @Test
  void layersRestrictTheGradientsToTheirParameters() {
    try (NDManager scope = manager.newSubManager()) {
      Setup s =
          InfluenceOracle.checkpoints(
              PaperShapedModels.mlp(scope, 9, 7, 6, CLASSES), WEIGHTS, 0.4, 1);
      RandomExamples x = RandomExamples.of(scope, "x", s.twin().exampleShape(), 11, CLASSES, 2, 0);
      RandomExamples y = RandomExamples.of(scope, "y", s.twin().exampleShape(), 5, CLASSES, 3, 50);
      OracleNet oracle = s.twin().oracle();
      // Layers 03Linear (W2, b2: tensors 2, 3) and the weight of 05Linear (tensor 4).
      int w2 = oracle.parameterOffset(2);
      int b2End = oracle.parameterOffset(4);
      int w3End = oracle.parameterOffset(5);
      double[][][] gx = InfluenceOracle.gradients(s, x.inputs(), x.labels());
      double[][][] gy = InfluenceOracle.gradients(s, y.inputs(), y.labels());
      double[][][] gxCut =
          join(InfluenceOracle.slice(gx, w2, b2End), InfluenceOracle.slice(gx, b2End, w3End));
      double[][][] gyCut =
          join(InfluenceOracle.slice(gy, w2, b2End), InfluenceOracle.slice(gy, b2End, w3End));
      try (TracIn tracIn =
          TracIn.builder(s.twin().block())
              .checkpoints(s.checkpoints())
              .layers(List.of("03Linear", "05Linear_weight"))
              .options(GramOptions.defaults().withBlockSize(4))
              .topK(3)
              .build()) {
        InfluenceResult r = tracIn.influence(x.examples(), y.examples());
        assertEquals(List.of("03Linear", "05Linear_weight"), r.layers());
        assertEquals(
            List.of(),
            InfluenceOracle.disagreements(
                r,
                InfluenceOracle.kernel(WEIGHTS, gxCut, gyCut),
                InfluenceOracle.self(WEIGHTS, gxCut),
                InfluenceOracle.self(WEIGHTS, gyCut),
                1e-5));
        // All parameters would be another matrix: the restriction is real.
        assertFalse(
            InfluenceOracle.disagreements(
                    r,
                    InfluenceOracle.kernel(WEIGHTS, gx, gy),
                    InfluenceOracle.self(WEIGHTS, gx),
                    InfluenceOracle.self(WEIGHTS, gy),
                    1e-5)
                .isEmpty());
        assertEquals(
            List.of("01Linear_weight", "01Linear_bias", "05Linear_bias"),
            frozen(s),
            "frozen while open");
      }
      assertEquals(List.of(), frozen(s), "every parameter trainable again after close");
    }
  }

  private static List<String> frozen(Setup s) {
    List<String> names = new ArrayList<>();
    for (Pair<String, Parameter> p : s.twin().block().getParameters()) {
      if (!p.getValue().requiresGradient()) {
        names.add(p.getKey());
      }
    }
    return names;
  }

  private static double[][][] join(double[][][] a, double[][][] b) {
    double[][][] out = new double[a.length][a[0].length][];
    for (int c = 0; c < a.length; c++) {
      for (int i = 0; i < a[0].length; i++) {
        out[c][i] = new double[a[c][i].length + b[c][i].length];
        System.arraycopy(a[c][i], 0, out[c][i], 0, a[c][i].length);
        System.arraycopy(b[c][i], 0, out[c][i], a[c][i].length, b[c][i].length);
      }
    }
    return out;
  }

  @Test
  void aLayerTheModelDoesNotHaveIsNamedWithTheModelsLayers() {
    try (NDManager scope = manager.newSubManager()) {
      Setup s =
          InfluenceOracle.checkpoints(
              PaperShapedModels.mlp(scope, 9, 7, 6, CLASSES), WEIGHTS, 0.4, 1);
      TracIn.Builder builder =
          TracIn.builder(s.twin().block()).checkpoints(s.checkpoints()).layers(List.of("04Linear"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
      assertEquals(
          "layer '04Linear' is not a block or parameter of the model; its layers with parameters"
              + " are 01Linear, 03Linear, 05Linear",
          e.getMessage());
      assertEquals(List.of(), frozen(s), "a refused selection freezes nothing");
    }
  }

  @Test
  void weightsMustBeFiniteAndPositive() {
    for (double w : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY, 1e300}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Checkpoint.of("step=7", w, m -> {}));
      assertTrue(e.getMessage().startsWith("checkpoint 'step=7': weight " + w), e.getMessage());
    }
  }

  @Test
  void withoutCheckpointsTheBuilderRefuses() {
    try (NDManager scope = manager.newSubManager()) {
      Setup s =
          InfluenceOracle.checkpoints(
              PaperShapedModels.mlp(scope, 9, 7, 6, CLASSES), WEIGHTS, 0.4, 1);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> TracIn.builder(s.twin().block()).build());
      assertEquals("TracIn needs at least one checkpoint (Builder.checkpoints)", e.getMessage());
    }
  }

  @Test
  void aLoaderThatFailsIsNamedAndTheModelKeepsItsValues() {
    try (NDManager scope = manager.newSubManager()) {
      Setup s =
          InfluenceOracle.checkpoints(
              PaperShapedModels.mlp(scope, 9, 7, 6, CLASSES), WEIGHTS, 0.4, 1);
      float[] before = s.twin().block().getParameters().get(0).getValue().getArray().toFloatArray();
      List<Checkpoint> checkpoints =
          List.of(
              s.checkpoints().get(0),
              Checkpoint.of(
                  "step=900",
                  1,
                  m -> {
                    throw new IOException("no such file: step=900.params");
                  }));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> TracIn.builder(s.twin().block()).checkpoints(checkpoints).build());
      assertEquals(
          "checkpoint 'step=900' could not be loaded into the model: no such file: step=900.params",
          e.getMessage());
      assertTrue(
          Arrays.equals(
              before,
              s.twin().block().getParameters().get(0).getValue().getArray().toFloatArray()));
    }
  }

  /**
   * A model in training (its parameters require gradients, as a DJL trainer leaves them) takes
   * snapshots in and out: the computation equals the one on a model outside training.
   */
  @Test
  void checkpointsLoadIntoAModelThatIsTraining() {
    try (NDManager scope = manager.newSubManager()) {
      Setup s =
          InfluenceOracle.checkpoints(
              PaperShapedModels.mlp(scope, 9, 7, 6, CLASSES), WEIGHTS, 0.4, 1);
      RandomExamples x = RandomExamples.of(scope, "x", s.twin().exampleShape(), 9, CLASSES, 2, 0);
      RandomExamples y = RandomExamples.of(scope, "y", s.twin().exampleShape(), 4, CLASSES, 3, 50);
      InfluenceResult outside;
      try (TracIn tracIn = TracIn.builder(s.twin().block()).checkpoints(s.checkpoints()).build()) {
        outside = tracIn.influence(x.examples(), y.examples());
      }
      for (var p : s.twin().block().getParameters()) {
        p.getValue().getArray().setRequiresGradient(true);
      }
      try (TracIn tracIn = TracIn.builder(s.twin().block()).checkpoints(s.checkpoints()).build()) {
        assertTrue(tracIn.influence(x.examples(), y.examples()).sameBits(outside));
      }
      for (var p : s.twin().block().getParameters()) {
        assertTrue(p.getValue().getArray().hasGradient(), p.getKey() + " still in training");
      }
    }
  }

  @Test
  void theModelsOwnValuesAreBackAfterBuild() {
    try (NDManager scope = manager.newSubManager()) {
      Setup s =
          InfluenceOracle.checkpoints(
              PaperShapedModels.mlp(scope, 9, 7, 6, CLASSES), WEIGHTS, 0.4, 1);
      List<float[]> before = new ArrayList<>();
      for (var p : s.twin().block().getParameters()) {
        before.add(p.getValue().getArray().toFloatArray());
      }
      try (TracIn tracIn = TracIn.builder(s.twin().block()).checkpoints(s.checkpoints()).build()) {
        int p = 0;
        for (var parameter : s.twin().block().getParameters()) {
          assertTrue(
              Arrays.equals(before.get(p++), parameter.getValue().getArray().toFloatArray()),
              parameter.getKey());
        }
      }
    }
  }
}
