package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stiffness.StiffnessEngine;
import org.stiffness.oracle.OracleNet;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * Reduced-precision Gram products: every pair whose sign is not flagged uncertain has the sign of
 * the reference, and the flag is not a blanket one.
 */
class PrecisionTest {
  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
    manager.getEngine().setRandomSeed(5);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  static Stream<Arguments> models() {
    Function<NDManager, Twin> mlp = m -> PaperShapedModels.mlp(m, 30, 20, 12, 4);
    Function<NDManager, Twin> cnn = m -> PaperShapedModels.cnn(m, 1, 8, 8, 4, 6, 4);
    return Stream.of(
        Arguments.of("mlp", mlp, LayerStrategy.AUTO),
        Arguments.of("mlp", mlp, LayerStrategy.MATERIALISED),
        Arguments.of("cnn", cnn, LayerStrategy.AUTO),
        Arguments.of("cnn", cnn, LayerStrategy.FACTORISED));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("models")
  void fp16SignsAgreeWithFp32WhereNotFlagged(
      String name, Function<NDManager, Twin> model, LayerStrategy strategy) {
    try (NDManager scope = manager.newSubManager()) {
      Twin twin = model.apply(scope);
      RandomExamples x = RandomExamples.of(scope, "x", twin.exampleShape(), 60, 4, 21, 0);
      GramMatrix full;
      GramMatrix half;
      GramOptions options = GramOptions.defaults().withStrategy(strategy).withBlockSize(25);
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block()).options(options).build()) {
        full = engine.gram(x.examples());
      }
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block())
              .options(options.withPrecision(Precision.FP16))
              .build()) {
        half = engine.gram(x.examples());
      }
      int flagged = 0;
      int pairs = 0;
      double largestChange = 0;
      for (int i = 0; i < 60; i++) {
        for (int j = i + 1; j < 60; j++) {
          pairs++;
          double scale = Math.sqrt(full.rowSquaredNorm(i) * full.colSquaredNorm(j));
          largestChange =
              Math.max(largestChange, Math.abs(half.get(i, j) - full.get(i, j)) / scale);
          assertTrue(
              Math.abs(half.get(i, j) - full.get(i, j)) <= half.errorBound(i, j),
              "pair " + i + "," + j + " moved beyond its error bound");
          if (half.signUncertain(i, j)) {
            flagged++;
          } else {
            assertEquals(
                Math.signum(full.get(i, j)),
                Math.signum(half.get(i, j)),
                "sign of unflagged pair " + i + "," + j);
          }
        }
      }
      assertTrue(largestChange > 1e-6, "fp16 left the products unchanged: " + largestChange);
      assertTrue(flagged < pairs / 10, flagged + " of " + pairs + " pairs flagged");
    }
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("models")
  void fp32SignsAgreeWithTheFloat64OracleWhereNotFlagged(
      String name, Function<NDManager, Twin> model, LayerStrategy strategy) {
    try (NDManager scope = manager.newSubManager()) {
      Twin twin = model.apply(scope);
      RandomExamples x = RandomExamples.of(scope, "x", twin.exampleShape(), 40, 4, 22, 0);
      double[][] g = twin.oracle().perExampleGradients(x.inputs(), x.labels());
      double[][] reference = OracleNet.gram(g, g);
      GramOptions options = GramOptions.defaults().withStrategy(strategy);
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block()).options(options).build()) {
        GramMatrix k = engine.gram(x.examples());
        for (int i = 0; i < 40; i++) {
          for (int j = 0; j < 40; j++) {
            if (!k.signUncertain(i, j)) {
              assertEquals(Math.signum(reference[i][j]), Math.signum(k.get(i, j)), i + "," + j);
            }
          }
        }
      }
    }
  }
}
