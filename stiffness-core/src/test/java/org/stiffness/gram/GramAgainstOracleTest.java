package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stiffness.GradientMethod;
import org.stiffness.StiffnessEngine;
import org.stiffness.oracle.OracleNet;
import org.stiffness.testing.Matrices;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * The tiled, factorised/materialised Gram matrix against the float64 oracle, for both gradient
 * methods, several block sizes (including ragged last tiles), every layer strategy, square and
 * rectangular X x Y.
 */
class GramAgainstOracleTest {
  private static final double TOLERANCE = 1e-5;
  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
    manager.getEngine().setRandomSeed(7);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    List<Function<NDManager, Twin>> models =
        List.of(
            m -> PaperShapedModels.mlp(m, 12, 9, 7, 5),
            m -> PaperShapedModels.cnn(m, 2, 8, 8, 4, 6, 5),
            m -> PaperShapedModels.singleConv(m, 2, 9, 9, 3, 3, 2, 0, 2, 5));
    String[] names = {"mlp", "cnn", "conv stride 2 dilation 2"};
    for (int k = 0; k < models.size(); k++) {
      for (GradientMethod method : List.of(GradientMethod.PROBE, GradientMethod.GENERIC)) {
        for (int blockSize : new int[] {0, 1, 4, 5}) {
          for (LayerStrategy strategy : LayerStrategy.values()) {
            if (method == GradientMethod.GENERIC && strategy != LayerStrategy.AUTO) {
              continue; // the loop yields dense gradients only
            }
            cases.add(Arguments.of(names[k], models.get(k), method, blockSize, strategy));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {2} block {3} {4}")
  @MethodSource("cases")
  void gramMatchesFloat64Oracle(
      String name,
      Function<NDManager, Twin> model,
      GradientMethod method,
      int blockSize,
      LayerStrategy strategy) {
    try (NDManager scope = manager.newSubManager()) {
      Twin twin = model.apply(scope);
      int classes = 5;
      RandomExamples x = RandomExamples.of(scope, "x", twin.exampleShape(), 13, classes, 11, 0);
      // Y shares ids 10..12 with X (self-pairs in a rectangular measurement), and 4 new examples.
      RandomExamples y = RandomExamples.of(scope, "y", twin.exampleShape(), 7, classes, 12, 10);
      OracleNet oracle = twin.oracle();
      double[][] gx = oracle.perExampleGradients(x.inputs(), x.labels());
      double[][] gy = oracle.perExampleGradients(y.inputs(), y.labels());
      GramOptions options = GramOptions.defaults().withBlockSize(blockSize).withStrategy(strategy);
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block()).method(method).options(options).build()) {
        GramMatrix square = engine.gram(x.examples());
        assertClose(square, OracleNet.gram(gx, gx), gx, gx);
        GramMatrix rectangular = engine.gram(x.examples(), y.examples());
        assertClose(rectangular, OracleNet.gram(gx, gy), gx, gy);
        if (blockSize > 0) {
          assertEquals(blockSize, engine.lastReport().blockSize());
        }
      }
    }
  }

  private static void assertClose(
      GramMatrix k, double[][] reference, double[][] rows, double[][] cols) {
    assertEquals(reference.length, k.rows());
    assertEquals(reference[0].length, k.cols());
    double error = Matrices.relativeError(k.values(), reference);
    assertTrue(error <= TOLERANCE, "relative Frobenius error " + error);
    double worst = Matrices.maxRelativeError(k.values(), reference);
    assertTrue(worst <= TOLERANCE, "largest entry error " + worst);
    for (int i = 0; i < rows.length; i++) {
      double expected = OracleNet.dot(rows[i], rows[i]);
      assertEquals(expected, k.rowSquaredNorm(i), TOLERANCE * expected, "row norm " + i);
    }
    for (int j = 0; j < cols.length; j++) {
      double expected = OracleNet.dot(cols[j], cols[j]);
      assertEquals(expected, k.colSquaredNorm(j), TOLERANCE * expected, "col norm " + j);
    }
  }
}
