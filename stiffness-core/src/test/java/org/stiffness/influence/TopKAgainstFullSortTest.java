package org.stiffness.influence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.influence.InfluenceOracle.Setup;
import org.stiffness.oracle.OracleNet;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.RandomExamples;

/**
 * The streaming top-k lists against a full sort of the whole matrix the same engine computes
 * ({@code StiffnessEngine.gram} with the same checkpoints gives the very fp32 tiles), bit for bit,
 * exact ties included: training examples whose gradient is exactly zero (a saturated softmax on its
 * own class) score exactly 0 (or -0) against every test example, so a column whose k-th score is 0
 * has more zeros than the device's {@code topK} keeps, and the smaller index must win, whichever
 * equal entry the device keeps.
 */
class TopKAgainstFullSortTest {
  private static final double[] WEIGHTS = {2};
  private static final int CLASSES = 3;
  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @AfterEach
  void libtorchTopK() {
    TileRanking.deviceTopK = LIBTORCH;
  }

  private static final TileRanking.DeviceTopK LIBTORCH = TileRanking.deviceTopK;

  /**
   * A device that keeps the larger row of equal entries (libtorch's CPU {@code topk} happens to
   * keep the smaller): {@code topk} of the tile upside down, its rows mapped back.
   */
  private static final TileRanking.DeviceTopK LARGER_ROW_FIRST =
      (values, k, largest) -> {
        long height = values.getShape().get(0);
        NDList top = values.flip(0).topK(k, 0, largest, true);
        NDArray rows = top.get(1).toType(DataType.INT64, false).neg().add(height - 1);
        return new NDList(top.get(0), rows);
      };

  @Test
  void listsAreTheFirstKOfAFullSortOfTheMatrixTiesByIndex() {
    listsMatchAFullSort();
  }

  @Test
  void tiesAreBrokenByIndexWhateverRowTheDeviceKeeps() {
    TileRanking.deviceTopK = LARGER_ROW_FIRST;
    listsMatchAFullSort();
  }

  private static void listsMatchAFullSort() {
    try (NDManager scope = manager.newSubManager()) {
      Setup s =
          InfluenceOracle.checkpoints(
              PaperShapedModels.mlp(scope, 6, 5, 4, CLASSES), WEIGHTS, 0.5, 7);
      RandomExamples plain =
          RandomExamples.of(scope, "plain", s.twin().exampleShape(), 48, CLASSES, 3, 0);
      // Three examples in four scaled by 1e4 and labelled with the class the model is sure of:
      // the softmax saturates exactly, the gradient is exactly 0. A test example then has fewer
      // than k positive (and negative) scores, so its lists end in zeros, tied by index.
      double[][] rows = plain.inputs().clone();
      int[] labels = plain.labels().clone();
      int zeros = 0;
      OracleNet oracle = s.twin().oracle();
      for (int i = 0; i < rows.length; i++) {
        if (i % 4 == 0) {
          continue;
        }
        double[] big = Arrays.stream(rows[i]).map(v -> v * 1e4).toArray();
        int sure = -1;
        for (List<float[]> values : s.values()) {
          oracle.setParameters(values);
          int c = argmax(oracle.logits(big));
          sure = sure == -1 || sure == c ? c : -2;
        }
        if (sure >= 0) {
          rows[i] = big;
          labels[i] = sure;
          zeros++;
        }
      }
      assertEquals(36, zeros, "saturated examples");
      Examples train =
          InfluenceOracle.examples(scope, "train", s.twin().exampleShape(), rows, labels, 0);
      Examples test =
          RandomExamples.of(scope, "test", s.twin().exampleShape(), 9, CLASSES, 4, 100).examples();
      GramOptions options = GramOptions.defaults().withBlockSize(16);
      int k = 8;
      GramMatrix matrix;
      try (StiffnessEngine engine =
          StiffnessEngine.builder(s.twin().block())
              .checkpoints(s.checkpoints())
              .options(options)
              .build()) {
        matrix = engine.gram(train, test);
      }
      long tiedBefore = TileRanking.TIED_COLUMNS.get();
      InfluenceResult r;
      try (TracIn tracIn =
          TracIn.builder(s.twin().block())
              .checkpoints(s.checkpoints())
              .options(options)
              .topK(k)
              .build()) {
        r = tracIn.influence(train, test);
      }
      assertTrue(TileRanking.TIED_COLUMNS.get() > tiedBefore, "no tie crossed the device's cut");
      for (int j = 0; j < test.size(); j++) {
        for (boolean largest : new boolean[] {true, false}) {
          Integer[] order = fullSort(matrix, j, largest);
          int[] indices = new int[k];
          float[] scores = new float[k];
          for (int rank = 0; rank < k; rank++) {
            indices[rank] = order[rank];
            scores[rank] = matrix.get(order[rank], j);
          }
          assertArrayEquals(indices, largest ? r.proponents(j) : r.opponents(j), "test " + j);
          assertArrayEquals(
              scores, largest ? r.proponentScores(j) : r.opponentScores(j), "test " + j);
        }
      }
      for (int i = 0; i < train.size(); i++) {
        double sum = 0;
        double scale = 0;
        for (int j = 0; j < test.size(); j++) {
          sum += matrix.get(i, j);
          scale += Math.abs(matrix.get(i, j));
        }
        // each tile row summed in fp32 on the device, the tiles in float64
        assertEquals(sum, r.totalInfluence()[i], 1e-6 * scale, "total influence " + i);
        assertEquals(matrix.rowSquaredNorm(i), r.selfInfluence()[i], 0, "self-influence " + i);
      }
    }
  }

  /** Column j's rows by score (largest or smallest first), equal scores by the smaller index. */
  private static Integer[] fullSort(GramMatrix m, int j, boolean largest) {
    Integer[] order = new Integer[m.rows()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          float x = m.get(a, j);
          float y = m.get(b, j);
          if (x != y) { // numeric: -0.0 equals 0.0
            return largest ? (x > y ? -1 : 1) : (x < y ? -1 : 1);
          }
          return Integer.compare(a, b);
        });
    return order;
  }

  private static int argmax(double[] values) {
    int best = 0;
    for (int c = 1; c < values.length; c++) {
      if (values[c] > values[best]) {
        best = c;
      }
    }
    return best;
  }
}
