package org.stiffness.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stiffness.GradientMethod;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.LayerStrategy;
import org.stiffness.gram.Precision;
import org.stiffness.influence.InfluenceOracle.Setup;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * TracInCP against the float64 batch-of-one oracle summed over checkpoints, for an MLP, a small CNN
 * and a model with a {@code ParallelBlock}: every test example's proponents and opponents against a
 * full sort of the oracle's matrix (duplicated training examples make ties of the oracle, equal or
 * nearly equal in fp32; exact fp32 ties are {@link TopKAgainstFullSortTest}'s), self-influence
 * against its diagonal, total influence against its row sums; and the same comparisons failing when
 * a tile or a checkpoint's weight is dropped.
 */
class TracInAgainstOracleTest {
  private static final double TOLERANCE = 1e-5;
  private static final double[] WEIGHTS = {0.5, 1.25, 3};
  private static final int CLASSES = 5;
  private static final int K = 4;

  /** Distinct examples 0..6, then repeats: exact ties in and across blocks of 4. */
  private static final int[] TRAIN_ORDER = {0, 1, 2, 3, 4, 5, 6, 0, 3, 3, 5, 1, 6, 3, 2, 4, 3};

  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @AfterEach
  void healFaults() {
    TracIn.Faults.dropTile = -1;
    TracIn.Faults.ignoreWeightOf = -1;
  }

  static Stream<Arguments> cases() {
    List<Function<NDManager, Twin>> models =
        List.of(
            m -> PaperShapedModels.mlp(m, 12, 9, 7, CLASSES),
            m -> PaperShapedModels.cnn(m, 2, 8, 8, 4, 6, CLASSES),
            m -> InfluenceOracle.residualMlp(m, 10, CLASSES));
    String[] names = {"mlp", "cnn", "parallel"};
    List<Arguments> cases = new ArrayList<>();
    for (int k = 0; k < models.size(); k++) {
      for (GradientMethod method : List.of(GradientMethod.PROBE, GradientMethod.GENERIC)) {
        for (int blockSize : new int[] {0, 4}) {
          cases.add(Arguments.of(names[k], models.get(k), method, blockSize));
        }
      }
    }
    return cases.stream();
  }

  /** The train and test sets of a twin, with the oracle's matrix over them. */
  private record Data(
      Examples train,
      Examples test,
      double[][] k,
      double[] selfX,
      double[] selfY,
      double[][][] gx) {}

  private static Data data(NDManager scope, Setup s, long seed) {
    Twin twin = s.twin();
    RandomExamples distinct =
        RandomExamples.of(scope, "distinct", twin.exampleShape(), 7, CLASSES, seed, 0);
    double[][] trainRows = InfluenceOracle.pick(distinct.inputs(), TRAIN_ORDER);
    int[] trainLabels = InfluenceOracle.pick(distinct.labels(), TRAIN_ORDER);
    Examples train =
        InfluenceOracle.examples(scope, "train", twin.exampleShape(), trainRows, trainLabels, 0);
    RandomExamples test =
        RandomExamples.of(scope, "test", twin.exampleShape(), 6, CLASSES, seed + 1, 100);
    double[][][] gx = InfluenceOracle.gradients(s, trainRows, trainLabels);
    double[][][] gy = InfluenceOracle.gradients(s, test.inputs(), test.labels());
    return new Data(
        train,
        test.examples(),
        InfluenceOracle.kernel(WEIGHTS, gx, gy),
        InfluenceOracle.self(WEIGHTS, gx),
        InfluenceOracle.self(WEIGHTS, gy),
        gx);
  }

  private static InfluenceResult influence(Setup s, Data d, GradientMethod method, int blockSize) {
    GramOptions options = GramOptions.defaults().withBlockSize(blockSize);
    try (TracIn tracIn =
        TracIn.builder(s.twin().block())
            .checkpoints(s.checkpoints())
            .method(method)
            .options(options)
            .topK(K)
            .build()) {
      return tracIn.influence(d.train(), d.test());
    }
  }

  @ParameterizedTest(name = "{0} {2} block {3}")
  @MethodSource("cases")
  void scoresListsAndSumsMatchTheOracleSummedOverCheckpoints(
      String name, Function<NDManager, Twin> model, GradientMethod method, int blockSize) {
    try (NDManager scope = manager.newSubManager()) {
      Setup s = InfluenceOracle.checkpoints(model.apply(scope), WEIGHTS, 0.4, 11);
      Data d = data(scope, s, 5);
      InfluenceResult r = influence(s, d, method, blockSize);
      assertEquals(
          List.of(), InfluenceOracle.disagreements(r, d.k(), d.selfX(), d.selfY(), TOLERANCE));
      assertEquals(K, r.k());
      assertEquals(List.of("step=100", "step=200", "step=300"), r.checkpoints());
    }
  }

  @Test
  void trainAgainstItselfUsesTheMirroredTilesOfTheUpperTriangle() {
    try (NDManager scope = manager.newSubManager()) {
      Setup s =
          InfluenceOracle.checkpoints(
              PaperShapedModels.mlp(scope, 12, 9, 7, CLASSES), WEIGHTS, 0.4, 3);
      Data d = data(scope, s, 8);
      double[][][] gx = d.gx();
      try (TracIn tracIn =
          TracIn.builder(s.twin().block())
              .checkpoints(s.checkpoints())
              .options(GramOptions.defaults().withBlockSize(4))
              .topK(K)
              .build()) {
        assertTrue(tracIn.tilePlan(d.train(), d.train()).symmetric());
        InfluenceResult r = tracIn.influence(d.train(), d.train());
        assertEquals(
            List.of(),
            InfluenceOracle.disagreements(
                r, InfluenceOracle.kernel(WEIGHTS, gx, gx), d.selfX(), d.selfX(), TOLERANCE));
      }
    }
  }

  /** fp16 operands (rounded, scaled to unit norm): the weights multiply the tile, within 5e-3. */
  @Test
  void halfPrecisionOperandsStayWithinTheirRounding() {
    try (NDManager scope = manager.newSubManager()) {
      Setup s =
          InfluenceOracle.checkpoints(
              PaperShapedModels.mlp(scope, 12, 9, 7, CLASSES), WEIGHTS, 0.4, 13);
      Data d = data(scope, s, 6);
      try (TracIn tracIn =
          TracIn.builder(s.twin().block())
              .checkpoints(s.checkpoints())
              .options(GramOptions.defaults().withBlockSize(4).withPrecision(Precision.FP16))
              .topK(K)
              .build()) {
        InfluenceResult r = tracIn.influence(d.train(), d.test());
        assertEquals(
            List.of(), InfluenceOracle.disagreements(r, d.k(), d.selfX(), d.selfY(), 5e-3));
      }
    }
  }

  @Test
  void theComparisonFailsWhenATileIsDropped() {
    TracIn.Faults.dropTile = 3;
    assertFalse(mlpDisagreements().isEmpty(), "a dropped tile went unnoticed");
  }

  @Test
  void theComparisonFailsWhenACheckpointWeightIsDropped() {
    TracIn.Faults.ignoreWeightOf = 0; // 0.5 taken as 1
    assertFalse(mlpDisagreements().isEmpty(), "a dropped weight went unnoticed");
  }

  @Test
  void theComparisonPassesWithoutFaults() {
    assertEquals(List.of(), mlpDisagreements());
  }

  private static List<String> mlpDisagreements() {
    try (NDManager scope = manager.newSubManager()) {
      Setup s =
          InfluenceOracle.checkpoints(
              PaperShapedModels.mlp(scope, 12, 9, 7, CLASSES), WEIGHTS, 0.4, 21);
      Data d = data(scope, s, 9);
      InfluenceResult r = influence(s, d, GradientMethod.PROBE, 4);
      return InfluenceOracle.disagreements(r, d.k(), d.selfX(), d.selfY(), TOLERANCE);
    }
  }

  @Test
  void materialisedAndFactorisedLayersGiveTheSameInfluence() {
    try (NDManager scope = manager.newSubManager()) {
      Setup s =
          InfluenceOracle.checkpoints(
              PaperShapedModels.cnn(scope, 2, 8, 8, 4, 6, CLASSES), WEIGHTS, 0.4, 2);
      Data d = data(scope, s, 4);
      for (LayerStrategy strategy : LayerStrategy.values()) {
        try (TracIn tracIn =
            TracIn.builder(s.twin().block())
                .checkpoints(s.checkpoints())
                .options(GramOptions.defaults().withStrategy(strategy).withBlockSize(5))
                .topK(K)
                .build()) {
          InfluenceResult r = tracIn.influence(d.train(), d.test());
          assertEquals(
              List.of(),
              InfluenceOracle.disagreements(r, d.k(), d.selfX(), d.selfY(), TOLERANCE),
              strategy.toString());
        }
      }
    }
  }
}
