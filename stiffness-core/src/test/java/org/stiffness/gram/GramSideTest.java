package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.Examples;

/** The examples of a Gram side: ids and class labels copied to the host, checked once. */
class GramSideTest {
  private NDManager manager;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private Examples examples(String name, float[] labels, long[] ids) {
    return Examples.of(
        name, new NDList(manager.zeros(new Shape(labels.length, 2))), manager.create(labels), ids);
  }

  @Test
  void wholeNumberLabelsOfAnyTypeAreClasses() {
    int[] classes = {2, 0, 1, 2};
    float[] asFloats = {2, 0, 1, 2};
    long[] ids = {40, 41, 42, 43};
    assertArrayEquals(classes, GramSide.of(examples("f", asFloats, ids)).labels());
    for (DataType type : new DataType[] {DataType.INT32, DataType.INT64, DataType.INT8}) {
      Examples typed =
          Examples.of(
              "typed",
              new NDList(manager.zeros(new Shape(4, 2))),
              manager.create(asFloats).toType(type, false),
              ids);
      GramSide side = GramSide.of(typed);
      assertArrayEquals(classes, side.labels(), type.toString());
      assertArrayEquals(ids, side.ids(), type.toString());
    }
  }

  @Test
  void labelsThatAreNotClassesAreNamedWhenClassesAreAsked() {
    GramSide side =
        GramSide.of(examples("targets", new float[] {1, 0.25f, 3}, new long[] {7, 8, 9}));
    assertArrayEquals(new long[] {7, 8, 9}, side.ids(), "the ids still serve the self-pairs");
    IllegalStateException e = assertThrows(IllegalStateException.class, side::labels);
    assertTrue(e.getMessage().contains("'targets'"), e.getMessage());
    assertTrue(e.getMessage().contains("example id 8, row 1, has label 0.25"), e.getMessage());
  }

  @Test
  void anIdGivenToTwoExamplesIsRefusedNamingIt() {
    IllegalArgumentException fromSet =
        assertThrows(
            IllegalArgumentException.class,
            () -> GramSide.of(examples("train", new float[] {0, 1, 0}, new long[] {5, 6, 5})));
    assertTrue(
        fromSet.getMessage().contains("ids of 'train' contain 5 twice"), fromSet.getMessage());
    IllegalArgumentException byHand =
        assertThrows(
            IllegalArgumentException.class,
            () -> new GramSide(new long[] {3, 3}, new int[] {0, 1}));
    assertTrue(byHand.getMessage().contains("contain 3 twice"), byHand.getMessage());
  }

  @Test
  void idsAndLabelsOfDifferentLengthsAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new GramSide(new long[] {1, 2}, new int[] {0}));
    assertTrue(e.getMessage().contains("1 labels for 2 example ids"), e.getMessage());
  }

  @Test
  void theSideIsNotChangedThroughTheArraysItWasGivenOrGave() {
    long[] ids = {1, 2};
    int[] labels = {0, 1};
    GramSide side = new GramSide(ids, labels);
    ids[0] = 9;
    labels[0] = 9;
    side.ids()[1] = 9;
    side.labels()[1] = 9;
    assertArrayEquals(new long[] {1, 2}, side.ids());
    assertArrayEquals(new int[] {0, 1}, side.labels());
  }

  @Test
  void copyingLabelsOfAnotherTypeLeavesNoArrayWithThem() {
    Examples bytes =
        Examples.of(
            "bytes",
            new NDList(manager.zeros(new Shape(3, 2))),
            manager.create(new float[] {0, 1, 2}).toType(DataType.INT8, false),
            null);
    int before = manager.getManagedArrays().size();
    assertEquals(3, GramSide.of(bytes).size());
    assertEquals(before, manager.getManagedArrays().size(), "the converted copy was freed");
  }
}
