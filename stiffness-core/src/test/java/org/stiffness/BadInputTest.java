package org.stiffness;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramOptions;
import org.stiffness.testing.PaperShapedModels;

/** Bad input gets an exception that says what is wrong and where. */
class BadInputTest {
  private NDManager manager;
  private SequentialBlock model;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
    model = (SequentialBlock) PaperShapedModels.mlp(manager, 6, 5, 4, 3).block();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private Examples examples(String name, int n, int width, float[] labels) {
    NDArray x = manager.randomNormal(new Shape(n, width));
    return Examples.of(name, new NDList(x), manager.create(labels), null);
  }

  private static void assertMessage(Throwable error, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(
          error.getMessage().contains(fragment),
          "message '" + error.getMessage() + "' should mention '" + fragment + "'");
    }
  }

  @Test
  void uninitialisedBlockIsRejected() {
    SequentialBlock fresh = new SequentialBlock().add(Linear.builder().setUnits(3).build());
    Throwable error =
        assertThrows(IllegalStateException.class, () -> StiffnessEngine.builder(fresh).build());
    assertMessage(error, "not initialised");
  }

  @Test
  void nanInParametersNamesTheParameter() {
    var parameter = model.getParameters().get(2).getValue();
    float[] values = parameter.getArray().toFloatArray();
    values[1] = Float.NaN;
    parameter.getArray().set(values);
    Throwable error =
        assertThrows(IllegalArgumentException.class, () -> StiffnessEngine.builder(model).build());
    assertMessage(error, model.getParameters().get(2).getKey(), "NaN");
  }

  @Test
  void nanInInputsNamesTheExample() {
    float[] values = manager.randomNormal(new Shape(4, 6)).toFloatArray();
    values[2 * 6 + 3] = Float.NaN;
    Examples x =
        Examples.of(
            "train",
            new NDList(manager.create(values, new Shape(4, 6))),
            manager.create(new float[] {0, 1, 2, 0}),
            new long[] {10, 11, 12, 13});
    try (StiffnessEngine engine = StiffnessEngine.builder(model).build()) {
      Throwable error = assertThrows(IllegalArgumentException.class, () -> engine.gram(x));
      assertMessage(error, "example id 12", "'train'", "NaN");
    }
  }

  @Test
  void labelOutOfRangeNamesTheLabelAndTheClassCount() {
    Examples x = examples("train", 4, 6, new float[] {0, 1, 7, 2});
    try (StiffnessEngine engine = StiffnessEngine.builder(model).build()) {
      Throwable error = assertThrows(IllegalArgumentException.class, () -> engine.gram(x));
      assertMessage(error, "label 7", "[0, 3)", "'train'");
    }
  }

  @Test
  void emptySetIsRejected() {
    Throwable error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Examples.of(
                    "val",
                    new NDList(manager.zeros(new Shape(0, 6))),
                    manager.zeros(new Shape(0)),
                    null));
    assertMessage(error, "val", "empty");
  }

  @Test
  void inputsAndLabelsOfDifferentLengthAreRejected() {
    Throwable error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Examples.of(
                    "train",
                    new NDList(manager.zeros(new Shape(5, 6))),
                    manager.zeros(new Shape(4)),
                    null));
    assertMessage(error, "train", "(5, 6)", "4 labels");
  }

  @Test
  void setsWithDifferentExampleShapesAreRejected() {
    Examples x = examples("train", 4, 6, new float[] {0, 1, 2, 0});
    Examples y = examples("val", 3, 7, new float[] {0, 1, 2});
    try (StiffnessEngine engine = StiffnessEngine.builder(model).build()) {
      Throwable error = assertThrows(IllegalArgumentException.class, () -> engine.gram(x, y));
      assertMessage(error, "'train'", "'val'", "(6)", "(7)");
    }
  }

  @Test
  void inputsThatDoNotFitTheModelNameTheSet() {
    Examples x = examples("train", 4, 9, new float[] {0, 1, 2, 0});
    try (StiffnessEngine engine = StiffnessEngine.builder(model).build()) {
      Throwable error = assertThrows(RuntimeException.class, () -> engine.gram(x));
      assertMessage(error, "'train'");
    }
  }

  @Test
  void budgetTooSmallForOneExampleSaysHowMuchIsNeeded() {
    Examples x = examples("train", 4, 6, new float[] {0, 1, 2, 0});
    GramOptions tiny = GramOptions.defaults().withMemoryBudget(64);
    try (StiffnessEngine engine = StiffnessEngine.builder(model).options(tiny).build()) {
      Throwable error = assertThrows(IllegalArgumentException.class, () -> engine.gram(x));
      assertMessage(error, "memory budget", "too small", "one example needs");
    }
  }

  @Test
  void integerLabelsWorkAndFractionalLabelsAreRejected() {
    Examples fractional = examples("train", 3, 6, new float[] {0, 1.5f, 2});
    try (StiffnessEngine engine = StiffnessEngine.builder(model).build()) {
      Throwable error = assertThrows(IllegalArgumentException.class, () -> engine.gram(fractional));
      assertMessage(error, "label 1.5");
      NDArray x = manager.randomNormal(new Shape(3, 6));
      NDArray y = manager.create(new long[] {0, 1, 2}).toType(DataType.INT64, false);
      assertTrue(engine.gram(Examples.of(x, y)).rows() == 3);
    }
  }
}
