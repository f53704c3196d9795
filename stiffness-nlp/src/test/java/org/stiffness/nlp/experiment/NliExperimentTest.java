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
import org.stiffness.experiments.MeasurementSettings;
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
            List.of(3e-4),
            Training.OptimizerKind.ADAM,
            32,
            5,
            0,
            0,
            60,
            32,
            0,
            MeasurementSchedule.logSpaced(3),
            Device.cpu(),
            MeasurementSettings.defaults()
                .withBins(DistanceBins.uniform(DistanceBins.DEFAULT_COUNT, 0, 1)));
    new NliExperiment(
            data,
            data.resolve("tokenizer.json"),
            NliExperiment.ModelChoice.fromScratch("tiny", tinyWideInit()),
            config)
        .run(out, null, ExperimentListener.logging());
    summary = JsonSummary.mapper().readTree(out.resolve("summary.json").toFile());
  }

  /**
   * The tiny preset with weights drawn at standard deviation 0.1 instead of BERT's 0.02: at 0.02 a
   * 32-wide encoder trained from scratch without warm-up sat at two thirds accuracy for hundreds of
   * steps (the tanh pooler saturates before the lower layers learn); at 0.1 it learns the task in
   * under 100 steps.
   */
  static BertConfig tinyWideInit() {
    return BertConfig.tiny().withInitializerRange(0.1f);
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
      // Once the task is fitted, every pair's gradients share a positive component, so sign
      // stiffness saturates at 1 for between-label pairs too (measured: 1.0 and 1.0); cosine
      // stiffness keeps the paper's picture (measured: within 0.99, between 0.17 train-train).
      assertTrue(
          p.get("within_sign").asDouble() >= p.get("between_sign").asDouble(),
          pairing + " sign: " + p);
      assertTrue(
          p.get("within_cos").asDouble() > p.get("between_cos").asDouble() + 0.3,
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
