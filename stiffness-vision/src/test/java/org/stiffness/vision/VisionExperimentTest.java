package org.stiffness.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.experiments.ExperimentListener;
import org.stiffness.experiments.MeasurementSchedule;
import org.stiffness.io.JsonSummary;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyReader;
import org.stiffness.vision.models.PaperModels;

/**
 * One small experiment on the built-in digits (2 learning rates, 100/100 subsets, 3 measurements
 * over 2 epochs), read back from disk as a user of summary.json would.
 */
class VisionExperimentTest {
  private static final List<String> PAIRINGS = List.of("train-train", "train-val", "val-val");

  @TempDir static Path dir;
  private static JsonNode summary;

  @BeforeAll
  static void run() throws IOException {
    VisionExperiment.Config config =
        VisionExperiment.Config.defaults(List.of(1e-3, 1e-2), 2)
            .withSubsetSizes(100, 100)
            .withSchedule(MeasurementSchedule.logSpaced(3));
    var describe = JsonSummary.mapper().createObjectNode().put("dataset", "digits");
    new VisionExperiment(Digits.paperSplit(), () -> PaperModels.fullyConnected(10), config)
        .run(dir, describe, ExperimentListener.logging());
    summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
  }

  @Test
  void configRecordsWhatWasRun() {
    JsonNode config = summary.get("config");
    assertEquals("digits", config.get("dataset").asText());
    assertEquals(100, config.get("train_subset_size").asInt());
    assertEquals(82, config.get("total_steps").asLong()); // 2 epochs of ceil(1297 / 32) = 41
    assertEquals(32, config.get("batch_size").asInt());
  }

  @Test
  void oneRunPerLearningRateWithItsCheckpointsInOrder() {
    JsonNode runs = summary.get("runs");
    assertEquals(2, runs.size());
    assertEquals(1e-3, runs.get(0).get("lr").asDouble());
    assertEquals(1e-2, runs.get(1).get("lr").asDouble());
    for (JsonNode run : runs) {
      JsonNode checkpoints = run.get("checkpoints");
      assertEquals(3, checkpoints.size());
      assertEquals(0, checkpoints.get(0).get("step").asLong());
      assertEquals(82, checkpoints.get(2).get("step").asLong());
      assertEquals(2.0, checkpoints.get(2).get("epoch").asDouble());
      for (JsonNode c : checkpoints) {
        for (String key : List.of("train_loss", "train_acc", "val_loss", "val_acc")) {
          assertTrue(c.get(key).isNumber(), key);
        }
        assertEquals(PAIRINGS, iterable(c.get("pairings").fieldNames()));
      }
    }
  }

  @Test
  void everyPairingHasTheIssuesKeys() {
    for (JsonNode run : summary.get("runs")) {
      for (JsonNode c : run.get("checkpoints")) {
        for (String pairing : PAIRINGS) {
          JsonNode p = c.get("pairings").get(pairing);
          for (String key : List.of("within_sign", "between_sign", "within_cos", "between_cos")) {
            assertTrue(p.get(key).isNumber(), pairing + " " + key);
          }
          for (String key : List.of("critical_length", "critical_length_all_pairs")) {
            JsonNode xi = p.get(key);
            if (xi.get("value").isNull()) {
              assertFalse(xi.get("reason").asText().isEmpty(), key);
            } else {
              assertTrue(xi.get("low").asDouble() <= xi.get("value").asDouble(), key);
              assertTrue(xi.get("value").asDouble() <= xi.get("high").asDouble(), key);
            }
          }
          assertFalse(p.has("groupings"), "vision has no other grouping");
          JsonNode bins = p.get("distance_profile");
          assertEquals(20, bins.size());
          long pairs = 0;
          for (JsonNode bin : bins) {
            for (String key : List.of("lo", "hi", "pairs", "mean_sign", "mean_cos")) {
              assertTrue(bin.has(key), key);
            }
            pairs += bin.get("pairs").asLong();
          }
          // 100 x 100 examples, minus the 100 self-pairs when the two sets are the same.
          assertEquals(pairing.equals("train-val") ? 10_000 : 9_900, pairs, pairing);
        }
      }
    }
  }

  @Test
  void classMatricesAreNpyFilesOfClassesByClasses() throws IOException {
    JsonNode p = summary.at("/runs/1/checkpoints/2/pairings/train-val");
    for (String key : List.of("class_sign_matrix", "class_cos_matrix", "pair_count_matrix")) {
      Path file = dir.resolve(p.get(key).asText());
      assertTrue(Files.isRegularFile(file), file.toString());
      NpyArray array = NpyReader.read(file);
      assertArrayEquals(new long[] {10, 10}, array.shape(), key);
    }
    assertEquals(
        "matrices/lr=0.01/step=000082/train-val.class-sign.npy",
        p.get("class_sign_matrix").asText());
    // Balanced subsets: 10 train x 10 val examples per class pair, no self-pairs across sets.
    long[] counts = NpyReader.read(dir.resolve(p.get("pair_count_matrix").asText())).longs();
    for (long n : counts) {
      assertEquals(100, n);
    }
  }

  @Test
  void trainingLowersTheLossAndLiftsAccuracyAboveChance() {
    for (JsonNode run : summary.get("runs")) {
      JsonNode first = run.get("checkpoints").get(0);
      JsonNode last = run.get("checkpoints").get(2);
      assertTrue(last.get("train_loss").asDouble() < first.get("train_loss").asDouble());
      assertTrue(last.get("val_acc").asDouble() > 0.5, last.toString());
    }
  }

  @Test
  void withinClassStiffnessExceedsBetweenClassAfterTraining() {
    // The paper's robust finding, for every pairing and both measures, once training has begun.
    for (JsonNode run : summary.get("runs")) {
      JsonNode last = run.get("checkpoints").get(2);
      for (String pairing : PAIRINGS) {
        JsonNode p = last.get("pairings").get(pairing);
        assertTrue(
            p.get("within_sign").asDouble() > p.get("between_sign").asDouble(),
            run.get("lr") + " " + pairing + " " + p);
        assertTrue(
            p.get("within_cos").asDouble() > p.get("between_cos").asDouble(),
            run.get("lr") + " " + pairing);
      }
    }
  }

  @Test
  void bothRunsStartFromTheSameWeights() {
    JsonNode a = summary.at("/runs/0/checkpoints/0");
    JsonNode b = summary.at("/runs/1/checkpoints/0");
    assertNotNull(a);
    assertEquals(a.get("train_loss").asDouble(), b.get("train_loss").asDouble(), 0);
    assertEquals(
        a.at("/pairings/train-val/within_cos").asDouble(),
        b.at("/pairings/train-val/within_cos").asDouble(),
        0);
  }

  private static List<String> iterable(Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
