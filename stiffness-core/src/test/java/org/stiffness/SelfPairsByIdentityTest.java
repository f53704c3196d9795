package org.stiffness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramMatrix;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.PairStiffness;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;

/**
 * Which pairs of a real engine's Gram matrix count: a pair is a self-pair exactly when its examples
 * share an id, and the ids travel with the matrix. Oracle: pair counts by hand from the sizes, and
 * per class cell from the labels the test made (plain Java).
 */
class SelfPairsByIdentityTest {
  private static final int CLASSES = 3;
  private static final int[] TRAIN_LABELS = {0, 1, 2, 0, 1, 2, 0, 0, 1, 2, 2, 0, 1};
  private static final int[] VAL_LABELS = {2, 0, 1, 1, 0, 2, 2};

  private NDManager manager;
  private Twin twin;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
    twin = PaperShapedModels.mlp(manager, 6, 5, 4, CLASSES);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  /** A set made as the README makes one: no ids given. */
  private Examples withoutIds(int[] labels) {
    return Examples.of(
        manager.randomNormal(new Shape(labels.length).addAll(twin.exampleShape())),
        manager.create(labels));
  }

  @Test
  void twoSetsMadeWithoutIdsCountEveryOneOfTheirPairs() {
    Examples train = withoutIds(TRAIN_LABELS);
    Examples val = withoutIds(VAL_LABELS);
    try (StiffnessEngine engine = StiffnessEngine.builder(twin.block()).build()) {
      GramMatrix k = engine.gram(train, val);
      PairStiffness pairs = PairStiffness.of(k);
      assertEquals(0, pairs.zeroNormRows().length + pairs.zeroNormCols().length, "all valid");
      assertEquals(13L * 7, pairs.consideredPairs(), "N_train * N_val: no pair is a self-pair");
      ClassStiffness c = ClassStiffness.of(pairs, CLASSES);
      long[] inTrain = countPerClass(TRAIN_LABELS);
      long[] inVal = countPerClass(VAL_LABELS);
      for (int a = 0; a < CLASSES; a++) {
        for (int b = 0; b < CLASSES; b++) {
          assertEquals(inTrain[a] * inVal[b], c.pairCount(a, b), "cell (" + a + ", " + b + ")");
        }
      }
    }
  }

  @Test
  void theSameSetTwiceLeavesItsSelfPairsOut() {
    Examples train = withoutIds(TRAIN_LABELS);
    try (StiffnessEngine engine = StiffnessEngine.builder(twin.block()).build()) {
      PairStiffness pairs = PairStiffness.of(engine.gram(train, train));
      assertSelfPairsOnTheDiagonalOnly(pairs, TRAIN_LABELS);
    }
  }

  @Test
  void theSameIdsUnderAnotherNameMarkTheSameExamples() {
    Examples train = withoutIds(TRAIN_LABELS);
    Examples again = Examples.of("train again", train.inputs(), train.labels(), train.ids());
    try (StiffnessEngine engine = StiffnessEngine.builder(twin.block()).build()) {
      // Two objects: the rectangular path, all tiles computed; the ids alone say "same examples".
      PairStiffness pairs = PairStiffness.of(engine.gram(train, again));
      assertSelfPairsOnTheDiagonalOnly(pairs, TRAIN_LABELS);
    }
  }

  @Test
  void theGramMatrixCarriesTheIdsAndLabelsOfItsExamples() {
    Examples train = withoutIds(TRAIN_LABELS);
    Examples val = withoutIds(VAL_LABELS);
    try (StiffnessEngine engine = StiffnessEngine.builder(twin.block()).build()) {
      GramMatrix k = engine.gram(train, val);
      assertArrayEquals(train.ids(), k.rowExamples().ids());
      assertArrayEquals(val.ids(), k.colExamples().ids());
      assertArrayEquals(TRAIN_LABELS, k.rowExamples().labels());
      assertArrayEquals(VAL_LABELS, k.colExamples().labels());
    }
  }

  private static void assertSelfPairsOnTheDiagonalOnly(PairStiffness pairs, int[] labels) {
    int n = labels.length;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(i == j, pairs.selfPair(i, j), "pair (" + i + ", " + j + ")");
      }
    }
    assertTrue(pairs.zeroNormRows().length == 0, "all valid");
    assertEquals((long) n * (n - 1), pairs.consideredPairs(), "N (N - 1)");
    ClassStiffness c = ClassStiffness.of(pairs, CLASSES);
    long[] count = countPerClass(labels);
    for (int a = 0; a < CLASSES; a++) {
      for (int b = 0; b < CLASSES; b++) {
        long expected = a == b ? count[a] * (count[a] - 1) : count[a] * count[b];
        assertEquals(expected, c.pairCount(a, b), "cell (" + a + ", " + b + ")");
      }
    }
  }

  private static long[] countPerClass(int[] labels) {
    long[] count = new long[CLASSES];
    for (int label : labels) {
      count[label]++;
    }
    return count;
  }
}
