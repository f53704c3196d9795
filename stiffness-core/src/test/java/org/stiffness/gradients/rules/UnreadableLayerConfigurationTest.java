package org.stiffness.gradients.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stiffness.GradientMethod;
import org.stiffness.StiffnessEngine;

/**
 * BatchNorm's channel axis and LayerNorm's axes live in DJL's non-public fields. When they cannot
 * be read the layer is unsupported, with the reason, and the model takes the batch-of-one loop; the
 * rules never assume an axis.
 */
class UnreadableLayerConfigurationTest {
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
  void batchNormWhoseChannelAxisCannotBeReadSendsTheModelToTheLoop() {
    SequentialBlock model =
        new SequentialBlock()
            .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(2).build())
            .add(BatchNorm.builder().build())
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(3).build());
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 5, 5));
    GradientRules rules =
        GradientRules.defaults()
            .register(
                BatchNorm.class,
                new BatchNormRule(
                    layer -> {
                      throw new NoSuchFieldException("axis");
                    }));
    assertFallsBack(
        model,
        rules,
        "layer 02BatchNorm (BatchNorm): its channel axis cannot be read (NoSuchFieldException:"
            + " axis), and the per-channel gradients need it");
  }

  @Test
  void layerNormWhoseAxesCannotBeReadSendsTheModelToTheLoop() {
    SequentialBlock model =
        new SequentialBlock()
            .add(Linear.builder().setUnits(4).build())
            .add(LayerNorm.builder().build())
            .add(Linear.builder().setUnits(3).build());
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 5));
    GradientRules rules =
        GradientRules.defaults()
            .register(
                LayerNorm.class,
                new LayerNormRule(
                    layer -> {
                      throw new IllegalAccessException("module ai.djl.api does not open ai.djl.nn");
                    }));
    assertFallsBack(
        model,
        rules,
        "layer 02LayerNorm (LayerNorm): its normalised axes cannot be read"
            + " (IllegalAccessException: module ai.djl.api does not open ai.djl.nn), and the"
            + " gradients of gamma and beta need them");
  }

  @Test
  void theDefaultReadersFindTheAxesDjlsBuildersWereGiven() throws ReflectiveOperationException {
    var channelAxis = LayerField.of(BatchNorm.class, "axis", Integer.class);
    assertEquals(3, channelAxis.read(BatchNorm.builder().optAxis(3).build()));
    assertEquals(-1, channelAxis.read(BatchNorm.builder().optAxis(-1).build()));
    var normalisedAxes = LayerField.of(LayerNorm.class, "axis", int[].class);
    assertArrayEquals(
        new int[] {1, 2}, normalisedAxes.read(LayerNorm.builder().axis(1, 2).build()));
    assertNull(
        normalisedAxes.read(LayerNorm.builder().build()), "no axis given: all but the first");
  }

  @Test
  void aFieldOfAnotherNameOrTypeIsAFailureToReadNotAGuess() {
    BatchNorm norm = BatchNorm.builder().build();
    assertThrows(
        NoSuchFieldException.class,
        () -> LayerField.of(BatchNorm.class, "channelAxis", Integer.class).read(norm));
    ReflectiveOperationException wrongType =
        assertThrows(
            ReflectiveOperationException.class,
            () -> LayerField.of(BatchNorm.class, "axis", String.class).read(norm));
    assertEquals("BatchNorm.axis is not a readable String", wrongType.getMessage());
    assertTrue(wrongType.getCause() instanceof ClassCastException, String.valueOf(wrongType));
  }

  private static void assertFallsBack(Block model, GradientRules rules, String reason) {
    try (StiffnessEngine engine = StiffnessEngine.builder(model).rules(rules).build()) {
      assertEquals("generic", engine.method());
      assertEquals(reason, engine.fallbackReason());
    }
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> StiffnessEngine.builder(model).rules(rules).method(GradientMethod.PROBE).build());
    assertEquals("the probe extractor cannot handle this model: " + reason, refused.getMessage());
  }
}
