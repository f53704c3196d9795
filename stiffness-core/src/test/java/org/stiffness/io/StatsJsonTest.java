package org.stiffness.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramSide;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceBins;
import org.stiffness.stats.DistanceProfile;
import org.stiffness.stats.InputDistances;
import org.stiffness.stats.PairStiffness;

class StatsJsonTest {
  @TempDir Path dir;

  // Gradients (1,0), (1,1), (-1,0); labels 0, 0, 1; X = Y. Class 1 has one example, so C(1,1) has
  // no pairs and must be written as null with pairCount 0.
  private static final long[] IDS = {0, 1, 2};
  private static final int[] LABELS = {0, 0, 1};
  private static final GramSide SIDE = new GramSide(IDS, LABELS);
  private static final GramMatrix GRAM =
      new GramMatrix(
          SIDE,
          SIDE,
          new float[] {1, 1, -1, 1, 2, -1, -1, -1, 1},
          new double[] {1, 2, 1},
          new double[] {1, 2, 1},
          new double[] {1, 1, 1},
          new double[] {1, 1, 1},
          0);

  private JsonNode writeAndRead(Object tree) throws Exception {
    Path f = dir.resolve("s.json");
    JsonSummary.write(f, tree);
    String text = Files.readString(f);
    assertFalse(text.contains("NaN"), text);
    return new ObjectMapper().readTree(text);
  }

  @Test
  void emptyClassCellIsNullWithZeroCount() throws Exception {
    PairStiffness p = PairStiffness.of(GRAM);
    JsonNode j = writeAndRead(StatsJson.classStiffness(ClassStiffness.of(p, 2)));
    assertTrue(j.at("/cosine/1/1").isNull());
    assertEquals(0, j.at("/pair_count/1/1").intValue());
    assertEquals(2, j.at("/pair_count/0/1").intValue());
    assertEquals(-1.0, j.at("/sign/0/1").doubleValue());
    assertEquals(1, j.at("/within_class/cells").intValue());
  }

  @Test
  void emptyBinsAreNullAndNoCrossingIsTagged() throws Exception {
    PairStiffness p = PairStiffness.of(GRAM);
    InputDistances d = new InputDistances(3, 3, new float[] {0, 0.5f, 1, 0.5f, 0, 1, 1, 1, 0});
    DistanceProfile prof = DistanceProfile.compute(p, d, LABELS, LABELS, DistanceBins.defaults());
    JsonNode j = writeAndRead(StatsJson.distanceProfile(prof));
    assertEquals(20, j.get("all_pairs").size());
    assertTrue(j.at("/all_pairs/0/mean_cos").isNull());
    assertEquals(2, j.at("/within_class/5/pairs").intValue());
    JsonNode c =
        writeAndRead(
            StatsJson.criticalLength(
                CriticalLength.estimate(p, d, LABELS, LABELS, CriticalLength.Config.defaults())));
    assertFalse(c.get("crossing").booleanValue());
    assertEquals("TOO_FEW_PAIRS", c.get("reason").textValue());
    assertTrue(c.get("value").isNull());
  }
}
