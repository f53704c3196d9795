package org.stiffness.nlp.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stiffness.experiments.MeasuredSet;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.TilePlan;
import org.stiffness.io.JsonFields;
import org.stiffness.io.JsonSummary;
import org.stiffness.stats.TileDistances;

class BagOfTokensDistanceTest {
  // x0 = {5, 5, 6}; x1 = {5, 7} (its trailing 6 is padding); x2 holds special tokens only.
  private static final long[] IDS = {2, 5, 5, 3, 6, 3, 2, 5, 3, 7, 3, 6, 2, 1, 3, 4, 3, 0};
  private static final long[] MASK = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0};

  private static MeasuredSet set(NDManager m, String idsName) {
    NDArray ids = m.create(IDS, new Shape(3, 6));
    ids.setName(idsName);
    NDArray types = m.zeros(new Shape(3, 6), DataType.INT64);
    types.setName("token_type_ids");
    NDArray mask = m.create(MASK, new Shape(3, 6));
    mask.setName("attention_mask");
    Examples e = Examples.of("train", new NDList(ids, types, mask), m.create(new int[3]), null);
    return new MeasuredSet(e, new int[3], Map.of());
  }

  @Test
  void handComputedDistancesFromTheModelInputsAndFromTheRecordedParameters() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      MeasuredSet s = set(m, "input_ids");
      BagOfTokensDistance distance = new BagOfTokensDistance(new long[] {4, 3, 2, 1, 0});
      ObjectNode root = JsonSummary.mapper().createObjectNode();
      root.put("input_distance", distance.name())
          .set("input_distance_parameters", distance.parameters());
      BagOfTokensDistance reread =
          BagOfTokensDistance.fromCheckpoint(new JsonFields(Path.of("c.json"), root));
      // c0.c1 = 2 * 1, |c0| = sqrt(5), |c1| = sqrt(2); no token left in x2: distance 1.
      double d01 = 1 - 2 / Math.sqrt(10);
      double[][] expected = {{0, d01, 1}, {d01, 0, 1}, {1, 1, 1}};
      // Tiles of 2: (0,0), (0,1) and (1,1) cut the 3 x 3 distances; each must hold its part.
      TilePlan plan = new TilePlan(3, 3, true, 2, 2);
      for (BagOfTokensDistance d : new BagOfTokensDistance[] {distance, reread}) {
        TileDistances got = d.between(s, s, m);
        for (TilePlan.Tile t : plan.tiles()) {
          float[] tile = got.hostTile(t, m);
          float[] onDevice = got.tile(t, m).toFloatArray();
          for (int i = t.rowStart(); i < t.rowEnd(); i++) {
            for (int j = t.colStart(); j < t.colEnd(); j++) {
              int k = (i - t.rowStart()) * t.width() + j - t.colStart();
              assertEquals(expected[i][j], tile[k], 1e-7, i + "," + j);
              assertEquals(tile[k], onDevice[k], 0.0, i + "," + j);
            }
          }
        }
      }
    }
  }

  @Test
  void aSetWithoutInputIdsIsNamed() {
    try (NDManager m = NDManager.newBaseManager()) {
      MeasuredSet s = set(m, "tokens");
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new BagOfTokensDistance(new long[0]).between(s, s, m));
      assertTrue(e.getMessage().startsWith("train: ") && e.getMessage().contains("input_ids"));
    }
  }
}
