package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.Examples;
import org.stiffness.stats.tiles.PairingSide;

/**
 * A measured set keeps its host labels and groupings once, in its {@link PairingSide}, whose ids
 * are the examples' own.
 */
class MeasuredSetTest {

  private static Examples train(NDManager m) {
    return Examples.of(
        "train",
        new NDList(m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2))),
        m.create(new float[] {0, 1, 0}),
        new long[] {7, 8, 9});
  }

  @Test
  void theLabelsAndGroupingsAreTheSidesAndTheSideCarriesTheExamplesIds() {
    try (NDManager m = NDManager.newBaseManager()) {
      int[] labels = {0, 1, 0};
      int[] genre = {2, 0, 1};
      MeasuredSet set = new MeasuredSet(train(m), labels, Map.of("genre", genre));
      assertArrayEquals(new long[] {7, 8, 9}, set.side().ids());
      assertSame(set.side().labels(), set.labels());
      assertArrayEquals(labels, set.labels());
      assertArrayEquals(genre, set.groups().get("genre"));
      assertSame(set.side().groups(), set.groups());
    }
  }

  @Test
  void labelsOrAGroupingOfAnotherLengthAreRefusedNamingTheSet() {
    try (NDManager m = NDManager.newBaseManager()) {
      Examples train = train(m);
      IllegalArgumentException labels =
          assertThrows(
              IllegalArgumentException.class,
              () -> new MeasuredSet(train, new int[] {0, 1}, Map.of()));
      assertEquals("train: 2 labels for 3 examples", labels.getMessage());
      IllegalArgumentException grouping =
          assertThrows(
              IllegalArgumentException.class,
              () -> new MeasuredSet(train, new int[] {0, 1, 0}, Map.of("genre", new int[] {1})));
      assertEquals("train: grouping genre has 1 entries for 3 examples", grouping.getMessage());
    }
  }

  @Test
  void aSideOfOtherExamplesIsRefused() {
    try (NDManager m = NDManager.newBaseManager()) {
      PairingSide other = new PairingSide(new long[] {7, 8, 10}, new int[] {0, 1, 0});
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new MeasuredSet(train(m), other));
      assertEquals("train: the side's ids are not the examples' ids", e.getMessage());
    }
  }
}
