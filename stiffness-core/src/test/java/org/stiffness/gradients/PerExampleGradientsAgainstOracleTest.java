package org.stiffness.gradients;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stiffness.gradients.internal.BatchOfOneExtractor;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.gradients.rules.GradientRules;
import org.stiffness.testing.FlatGradients;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/** Both extractors' per-example gradients, entry by entry, against the float64 oracle. */
class PerExampleGradientsAgainstOracleTest {

  static Stream<Arguments> models() {
    Function<NDManager, Twin> mlp = m -> PaperShapedModels.mlp(m, 12, 9, 7, 5);
    Function<NDManager, Twin> cnn = m -> PaperShapedModels.cnn(m, 2, 8, 8, 4, 6, 5);
    Function<NDManager, Twin> strided =
        m -> PaperShapedModels.singleConv(m, 2, 9, 9, 3, 3, 2, 0, 2, 5);
    Function<NDManager, Twin> padded =
        m -> PaperShapedModels.singleConv(m, 1, 7, 7, 2, 3, 2, 1, 1, 5);
    return Stream.of(
        Arguments.of("mlp", mlp),
        Arguments.of("cnn", cnn),
        Arguments.of("conv stride 2 dilation 2", strided),
        Arguments.of("conv stride 2 padding 1", padded));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void bothExtractorsMatchTheOracle(String name, Function<NDManager, Twin> model) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      manager.getEngine().setRandomSeed(13);
      Twin twin = model.apply(manager);
      RandomExamples x = RandomExamples.of(manager, "x", twin.exampleShape(), 9, 5, 31, 0);
      double[][] reference = twin.oracle().perExampleGradients(x.inputs(), x.labels());
      try (ProbeExtractor probe =
              new ProbeExtractor(
                  twin.block(), new SoftmaxCrossEntropy(), GradientRules.defaults(), Device.cpu());
          BatchOfOneExtractor loop =
              new BatchOfOneExtractor(twin.block(), new SoftmaxCrossEntropy(), Device.cpu())) {
        FlatGradients.assertMatches(
            FlatGradients.flatten(probe.extract(x.examples(), manager)), reference, 1e-5, "probe");
        FlatGradients.assertMatches(
            FlatGradients.flatten(loop.extract(x.examples(), manager)), reference, 1e-5, "generic");
      }
    }
  }
}
