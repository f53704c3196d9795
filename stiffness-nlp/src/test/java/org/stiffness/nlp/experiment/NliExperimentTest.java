package org.stiffness.nlp.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.experiments.ExperimentListener;
import org.stiffness.experiments.MeasurementSchedule;
import org.stiffness.experiments.StiffnessMeasurement;
import org.stiffness.experiments.Training;
import org.stiffness.io.JsonSummary;
import org.stiffness.io.NpyReader;
import org.stiffness.nlp.mnli.SyntheticNli;
import org.stiffness.nlp.model.BertConfig;
import org.stiffness.stats.DistanceBins;

/**
 * Trains the tiny encoder on the synthetic NLI task and checks the paper's finding on it, and the
 * summary layout the vision experiments share.
 */
class NliExperimentTest {
  @TempDir static Path temp;
  static JsonNode summary;
  static Path out;

  @BeforeAll
  static void run() throws IOException {
    Path data = SyntheticNli.writeGlueDirectory(temp.resolve("mnli"), 900, 1);
    out = temp.resolve("out");
    NliExperiment.Config config =
        new NliExperiment.Config(
            List.of(1e-3),
            Training.OptimizerKind.ADAM,
            32,
            4,
            0,
            0,
            60,
            32,
            0,
            MeasurementSchedule.logSpaced(3),
            Device.cpu(),
            StiffnessMeasurement.Settings.defaults()
                .withBins(DistanceBins.uniform(DistanceBins.DEFAULT_COUNT, 0, 1)));
    new NliExperiment(
            data,
            data.resolve("tokenizer.json"),
            NliExperiment.ModelChoice.fromScratch("tiny", BertConfig.tiny()),
            config)
        .run(out, null, ExperimentListener.logging());
    summary = JsonSummary.mapper().readTree(out.resolve("summary.json").toFile());
  }

  private static JsonNode last() {
    JsonNode cps = summary.get("runs").get(0).get("checkpoints");
    return cps.get(cps.size() - 1);
  }

  @Test
  void theTaskIsLearned() {
    JsonNode c = last();
    assertTrue(c.get("train_acc").asDouble() > 0.9, "train accuracy " + c.get("train_acc"));
    assertTrue(c.get("val_acc").asDouble() > 0.9, "val accuracy " + c.get("val_acc"));
    JsonNode first = summary.get("runs").get(0).get("checkpoints").get(0);
    assertTrue(c.get("train_loss").asDouble() < first.get("train_loss").asDouble() / 3);
  }

  @Test
  void withinLabelStiffnessExceedsBetweenLabelsAfterTraining() {
    for (String pairing : List.of("train-train", "train-val", "val-val")) {
      JsonNode p = last().get("pairings").get(pairing);
      assertTrue(
          p.get("within_sign").asDouble() > p.get("between_sign").asDouble() + 0.2,
          pairing + " sign: " + p);
      assertTrue(
          p.get("within_cos").asDouble() > p.get("between_cos").asDouble() + 0.1,
          pairing + " cos: " + p);
    }
  }

  @Test
  void fivePairingsWithGenreGroupingsAndTheSharedLayout() throws IOException {
    JsonNode pairings = last().get("pairings");
    List<String> keys =
        List.of(
            "train-train",
            "train-val",
            "val-val",
            "train-val_mismatched",
            "val_mismatched-val_mismatched");
    assertEquals(keys.size(), pairings.size());
    int k = 0;
    for (var it = pairings.fieldNames(); it.hasNext(); k++) {
      assertEquals(keys.get(k), it.next());
    }
    for (String key : keys) {
      JsonNode p = pairings.get(key);
      assertTrue(p.has("critical_length") && p.has("critical_length_all_pairs"), key);
      double[] labels = NpyReader.read(out.resolve(p.get("class_sign_matrix").asText())).doubles();
      assertEquals(9, labels.length, key + ": 3 x 3 label matrix");
      JsonNode genre = p.get("groupings").get("genre");
      assertEquals(10, genre.get("groups").asInt());
      double[] g = NpyReader.read(out.resolve(genre.get("class_sign_matrix").asText())).doubles();
      assertEquals(100, g.length, key + ": 10 x 10 genre matrix");
      long pairs = 0;
      for (JsonNode bin : p.get("distance_profile")) {
        pairs += bin.get("pairs").asLong();
        assertTrue(bin.get("hi").asDouble() <= 1.0 + 1e-12, "text distances lie in [0, 1]");
      }
      boolean square = key.equals("train-train") || key.equals("val-val") || key.startsWith("val_");
      assertEquals(square ? 60 * 59 : 60 * 60, pairs, key);
    }
    JsonNode config = summary.get("config");
    assertEquals("mnli", config.get("dataset").asText());
    assertEquals(900, config.get("train_size").asInt());
    assertEquals("tiny", config.get("model_size").asText());
    assertTrue(Files.isRegularFile(out.resolve("summary.json")));
  }
}
