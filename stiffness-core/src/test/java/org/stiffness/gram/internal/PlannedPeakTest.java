package org.stiffness.gram.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stiffness.StiffnessEngine;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramReport;
import org.stiffness.gram.LayerStrategy;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * The plan's peak covers what the engine really holds: the live arrays are weighed at the moments
 * the plan is about (a block joined from its passes while the passes' parts are alive, a layer's
 * product with its temporaries), with passes smaller than blocks and a budget that forces tiles.
 */
class PlannedPeakTest {

  static Stream<Arguments> cases() {
    Function<NDManager, Twin> mlp = m -> PaperShapedModels.mlp(m, 60, 40, 30, 5);
    Function<NDManager, Twin> cnn = m -> PaperShapedModels.cnn(m, 2, 8, 8, 4, 6, 5);
    return Stream.of(
        Arguments.of("mlp materialised", mlp, LayerStrategy.MATERIALISED),
        Arguments.of("mlp automatic", mlp, LayerStrategy.AUTO),
        Arguments.of("cnn materialised", cnn, LayerStrategy.MATERIALISED));
  }

  @AfterEach
  void forget() {
    BlockOperands.peakMoment = () -> {};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void liveArraysStayWithinThePlannedPeak(
      String name, Function<NDManager, Twin> model, LayerStrategy strategy) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      manager.getEngine().setRandomSeed(5);
      Twin twin = model.apply(manager);
      RandomExamples x = RandomExamples.of(manager, "x", twin.exampleShape(), 96, 5, 3, 0);
      GramOptions options =
          GramOptions.defaults()
              .withStrategy(strategy)
              .withBlockSize(32)
              .withPassSize(8)
              .withMemoryBudget(64L << 20);
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block()).options(options).build()) {
        NDManager root = manager.getParentManager();
        long before = liveBytes(root);
        AtomicLong peak = new AtomicLong();
        BlockOperands.peakMoment = () -> peak.accumulateAndGet(liveBytes(root), Math::max);
        engine.gram(x.examples());
        GramReport report = engine.lastReport();
        assertTrue(peak.get() > before, "the moments were observed");
        long used = peak.get() - before;
        assertTrue(
            used <= report.plannedPeakBytes(),
            name + ": " + used + " bytes live, plan " + report.plannedPeakBytes());
      }
    }
  }

  /** Bytes of every array the manager and its sub-managers hold. */
  private static long liveBytes(NDManager manager) {
    long bytes = 0;
    for (NDArray array : manager.getManagedArrays()) {
      bytes += LayerOperand.bytesOf(array);
    }
    return bytes;
  }
}
