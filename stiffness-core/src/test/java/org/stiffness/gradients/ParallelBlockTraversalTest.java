package org.stiffness.gradients;

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
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stiffness.GradientMethod;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.internal.BatchOfOneExtractor;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.gradients.rules.GradientRules;
import org.stiffness.testing.RandomExamples;

/**
 * DJL's {@link ParallelBlock} on the probe path, in a ResNet built as DJL's model zoo builds it
 * ({@code ai.djl.basicmodelzoo.cv.classification.ResNetV1}: that artifact is not in the offline
 * repository, so {@link #residualUnit} repeats its non-bottleneck residual unit), against the
 * batch-of-one loop.
 */
class ParallelBlockTraversalTest {
  private static final Shape IMAGE = new Shape(2, 8, 8);
  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
    manager.getEngine().setRandomSeed(13);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @Test
  void modelZooResNetStaysOnTheProbePath() {
    Block resnet = resnet();
    assertNull(ProbeExtractor.unsupportedReason(resnet, GradientRules.defaults()));
    try (StiffnessEngine engine = StiffnessEngine.builder(resnet).build()) {
      assertEquals("probe", engine.method());
      assertNull(engine.fallbackReason());
    }
  }

  @Test
  void perExampleGradientsThroughParallelBranchesAreTheLoops() {
    Block resnet = resnet();
    RandomExamples x = RandomExamples.of(manager, "x", IMAGE, 5, 3, 1, 0);
    try (NDManager results = manager.newSubManager();
        ProbeExtractor probe =
            new ProbeExtractor(
                resnet, new SoftmaxCrossEntropy(), GradientRules.defaults(), Device.cpu());
        BatchOfOneExtractor loop =
            new BatchOfOneExtractor(resnet, new SoftmaxCrossEntropy(), Device.cpu())) {
      List<LayerGradient> layers = probe.extract(x.examples(), results);
      // stem; units 1 and 3: two (conv, norm) plus a projecting (conv, norm); unit 2: two; dense
      assertEquals(1 + 6 + 4 + 6 + 1, layers.size());
      NDList parts = new NDList();
      for (LayerGradient layer : layers) {
        parts.add(layer.materialise());
      }
      float[] fast = NDArrays.concat(parts, 1).toFloatArray();
      float[] reference = loop.extract(x.examples(), results).get(0).materialise().toFloatArray();
      assertClose(reference, fast);
    }
  }

  @Test
  void gramThroughParallelBranchesIsTheLoops() {
    Block resnet = resnet();
    RandomExamples x = RandomExamples.of(manager, "x", IMAGE, 7, 3, 2, 0);
    try (StiffnessEngine probe = StiffnessEngine.builder(resnet).build();
        StiffnessEngine loop =
            StiffnessEngine.builder(resnet).method(GradientMethod.GENERIC).build()) {
      assertClose(loop.gram(x.examples()).values(), probe.gram(x.examples()).values());
    }
  }

  @Test
  void subclassWithItsOwnForwardFallsBackNamingIt() {
    SequentialBlock model =
        new SequentialBlock()
            .add(Blocks.batchFlattenBlock())
            .add(
                new LastBranchOnly()
                    .add(Linear.builder().setUnits(4).build())
                    .add(Linear.builder().setUnits(4).build()))
            .add(Linear.builder().setUnits(3).build());
    model.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(IMAGE));
    try (StiffnessEngine engine = StiffnessEngine.builder(model).build()) {
      assertEquals("generic", engine.method());
      assertEquals(
          "layer 02LastBranchOnly (LastBranchOnly): LastBranchOnly overrides ParallelBlock's"
              + " forward pass; implement ProbeTraversable or register a gradient rule for it",
          engine.fallbackReason());
    }
  }

  /** A ParallelBlock that ignores its combining function: walking its branches would be wrong. */
  private static final class LastBranchOnly extends ParallelBlock {
    LastBranchOnly() {
      super(list -> list.get(0));
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
      return getChildren().get(1).getValue().forward(store, inputs, training, params);
    }
  }

  /**
   * ResNetV1's layout for small images: 3x3 stem without bias, residual units of 4, 4 and 8 filters
   * (the first and last with a projecting shortcut, the last with stride 2), global average
   * pooling, flatten, dense. BatchNorm runs on random inference statistics, random gamma and beta.
   */
  private static Block resnet() {
    SequentialBlock resnet =
        new SequentialBlock()
            .add(conv(4, 3, 1, 1))
            .add(residualUnit(4, new Shape(1, 1), false))
            .add(residualUnit(4, new Shape(1, 1), true))
            .add(residualUnit(8, new Shape(2, 2), false))
            .add(Pool.globalAvgPool2dBlock())
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(3).build())
            .add(Blocks.batchFlattenBlock());
    resnet.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(IMAGE));
    for (var parameter : resnet.getParameters()) {
      NDArray array = parameter.getValue().getArray();
      if (parameter.getKey().endsWith("runningVar")) {
        array.set(manager.randomUniform(0.5f, 2f, array.getShape()).toFloatArray());
      } else if (parameter.getKey().matches(".*(runningMean|gamma|beta)$")) {
        array.set(manager.randomNormal(array.getShape()).toFloatArray());
      }
    }
    return resnet;
  }

  /** {@code ResNetV1.residualUnit(filters, stride, dimMatch, false, 0.9f)} of DJL's model zoo. */
  private static Block residualUnit(int filters, Shape stride, boolean dimMatch) {
    SequentialBlock unit =
        new SequentialBlock()
            .add(conv(filters, 3, stride.get(0), 1))
            .add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build())
            .add(Activation::relu)
            .add(conv(filters, 3, 1, 1))
            .add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
    SequentialBlock shortcut = new SequentialBlock();
    if (dimMatch) {
      shortcut.add(Blocks.identityBlock());
    } else {
      shortcut
          .add(conv(filters, 1, stride.get(0), 0))
          .add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
    }
    return new ParallelBlock(
        list ->
            new NDList(
                list.get(0)
                    .singletonOrThrow()
                    .add(list.get(1).singletonOrThrow())
                    .getNDArrayInternal()
                    .relu()),
        Arrays.asList(unit, shortcut));
  }

  private static Conv2d conv(int filters, int kernel, long stride, int padding) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .setFilters(filters)
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(padding, padding))
        .optBias(false)
        .build();
  }

  private static void assertClose(float[] reference, float[] computed) {
    assertEquals(reference.length, computed.length, "entries");
    double diff = 0;
    double norm = 0;
    for (int k = 0; k < reference.length; k++) {
      diff += (computed[k] - (double) reference[k]) * (computed[k] - (double) reference[k]);
      norm += reference[k] * (double) reference[k];
    }
    assertTrue(norm > 0, "the reference is all zero");
    assertTrue(Math.sqrt(diff / norm) <= 1e-5, "relative error " + Math.sqrt(diff / norm));
  }
}
