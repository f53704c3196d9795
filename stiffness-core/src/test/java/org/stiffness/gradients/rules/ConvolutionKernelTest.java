package org.stiffness.gradients.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.convolutional.Conv2d;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stiffness.gradients.SoftmaxCrossEntropy;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.testing.FlatGradients;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/** Both convolution kernels of the probe path against the float64 oracle, and the choice rule. */
class ConvolutionKernelTest {

  static Stream<Arguments> kernelsAndModels() {
    Function<NDManager, Twin> cnn = m -> PaperShapedModels.cnn(m, 2, 8, 8, 4, 6, 5);
    Function<NDManager, Twin> strided =
        m -> PaperShapedModels.singleConv(m, 2, 9, 9, 3, 3, 2, 0, 2, 5);
    Function<NDManager, Twin> padded =
        m -> PaperShapedModels.singleConv(m, 1, 7, 7, 2, 3, 2, 1, 1, 5);
    return Stream.of(ConvolutionKernel.values())
        .flatMap(
            k ->
                Stream.of(
                    Arguments.of(k, "cnn", cnn),
                    Arguments.of(k, "conv stride 2 dilation 2", strided),
                    Arguments.of(k, "conv stride 2 padding 1", padded)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("kernelsAndModels")
  void perExampleGradientsMatchTheOracle(
      ConvolutionKernel kernel, String name, Function<NDManager, Twin> model) {
    // libtorch's kernel is only ever chosen where it is exact; the test configuration caps oneDNN.
    assumeTrue(
        kernel == ConvolutionKernel.IM2COL
            || ConvolutionKernel.forDevice(Device.cpu()) == ConvolutionKernel.LIBTORCH,
        "oneDNN may use AVX-512 here");
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      manager.getEngine().setRandomSeed(13);
      Twin twin = model.apply(manager);
      RandomExamples x = RandomExamples.of(manager, "x", twin.exampleShape(), 9, 5, 31, 0);
      double[][] reference = twin.oracle().perExampleGradients(x.inputs(), x.labels());
      GradientRules rules =
          GradientRules.defaults().register(Conv2d.class, new Conv2dRule(device -> kernel));
      try (ProbeExtractor probe =
          new ProbeExtractor(twin.block(), new SoftmaxCrossEntropy(), rules, Device.cpu())) {
        FlatGradients.assertMatches(
            FlatGradients.flatten(probe.extract(x.examples(), manager)),
            reference,
            1e-5,
            kernel.name());
      }
    }
  }

  @Test
  void aCapAtAvxOrBelowMakesLibtorchExact() {
    Path none = Path.of("/nonexistent/cpuinfo");
    assertTrue(ConvolutionKernel.cpuConvolutionExact("AVX", "amd64", none));
    assertTrue(ConvolutionKernel.cpuConvolutionExact(" sse41 ", "aarch64", none));
    // Zen 5: the AVX2 backward-data kernel is wrong, so an AVX2 cap is no longer trusted.
    assertFalse(ConvolutionKernel.cpuConvolutionExact("AVX2", "amd64", none));
    assertFalse(ConvolutionKernel.cpuConvolutionExact("AVX2_VNNI", "amd64", none));
    assertFalse(ConvolutionKernel.cpuConvolutionExact("AVX512_CORE", "amd64", none));
    assertFalse(ConvolutionKernel.cpuConvolutionExact("ALL", "amd64", none));
  }

  @Test
  void withoutACapOnlyAnX86CpuWithoutAvx512IsTrusted(@TempDir Path dir) throws IOException {
    Path avx2 =
        Files.writeString(
            dir.resolve("avx2"), "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n");
    Path avx512 =
        Files.writeString(
            dir.resolve("avx512"), "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512dq\n");
    assertTrue(ConvolutionKernel.cpuConvolutionExact(null, "amd64", avx2));
    assertFalse(ConvolutionKernel.cpuConvolutionExact(null, "amd64", avx512));
    assertFalse(ConvolutionKernel.cpuConvolutionExact(null, "aarch64", avx2));
    assertFalse(ConvolutionKernel.cpuConvolutionExact(null, "x86_64", dir.resolve("missing")));
  }

  @Test
  void aGpuAlwaysGetsLibtorch() {
    assertEquals(ConvolutionKernel.LIBTORCH, ConvolutionKernel.forDevice(Device.gpu(0)));
  }
}
