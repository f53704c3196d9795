package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.io.JsonSummary;
import org.stiffness.nlp.mnli.MnliFixtures;
import org.stiffness.nlp.text.WordPieceVocabulary;

/**
 * {@code nlp --save-checkpoints}, then {@code measure} in two shards and {@code merge}: the merged
 * matrices and statistics (labels, genre grouping, bag-of-tokens distance bins, xi) must be exactly
 * those the nlp run itself wrote for that checkpoint.
 */
class NlpCheckpointsTest {
  @TempDir static Path shared;
  @TempDir Path temp;

  private static Path nlp;
  private static Path checkpoint;
  private static String matrices;
  private static JsonNode nlpCheckpoint;

  @BeforeAll
  static void trainTinyBertAndSaveCheckpoints() throws IOException {
    Path glue = MnliFixtures.writeGlueDirectory(Files.createDirectories(shared.resolve("glue")));
    Path tokenizer =
        WordPieceVocabulary.writeTokenizerJson(
            shared.resolve("tokenizer.json"), MnliFixtures.vocabulary());
    nlp = shared.resolve("nlp");
    List<String> args =
        new ArrayList<>(
            List.of(
                "nlp",
                "--mnli-dir",
                glue.toString(),
                "--tokenizer",
                tokenizer.toString(),
                "--model-size",
                "tiny",
                "--initializer-range",
                "0.1",
                "--lr",
                "1e-4",
                // Blocks of 2: every pairing has several tiles, so both shards compute some.
                "--block-size",
                "2",
                "--save-checkpoints",
                "--save-pair-matrices"));
    args.addAll(NlpCommandTest.common(nlp));
    Run run = Run.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = JsonSummary.mapper().readTree(nlp.resolve("summary.json").toFile());
    JsonNode checkpoints = summary.get("runs").get(0).get("checkpoints");
    nlpCheckpoint = checkpoints.get(checkpoints.size() - 1);
    assertTrue(nlpCheckpoint.get("step").asLong() > 0, "a trained checkpoint is measured");
    String step = String.format("step=%06d", nlpCheckpoint.get("step").asLong());
    Path lrDir;
    try (Stream<Path> lrs = Files.list(nlp.resolve("checkpoints"))) {
      lrDir = lrs.findFirst().orElseThrow();
    }
    checkpoint = lrDir.resolve(step);
    matrices = "matrices/" + lrDir.getFileName() + "/" + step;
    assertTrue(Files.isRegularFile(checkpoint.resolve("checkpoint.json")), checkpoint.toString());
  }

  @Test
  void shardedMeasureAndMergeReproduceTheNlpRunExactly() throws IOException {
    Path out = temp.resolve("m");
    for (String shard : List.of("0/2", "1/2")) {
      Run r = SavedCheckpoints.measure(checkpoint, out, "--shard", shard);
      assertEquals(0, r.exitCode(), r.err());
      assertTrue(r.out().matches("(?s)shard " + shard + ": computed [1-9]\\d* tiles.*"), r.out());
    }
    Run merge = Run.of("merge", out.toString());
    assertEquals(0, merge.exitCode(), merge.err());

    JsonNode merged = JsonSummary.mapper().readTree(out.resolve("summary.json").toFile());
    JsonNode c = merged.get("runs").get(0).get("checkpoints").get(0);
    assertEquals(nlpCheckpoint.get("step"), c.get("step"));
    // Every statistic of the five pairings: labels, the genre grouping with its group names, the
    // bag-of-tokens distance bins over [0, 1], xi, and the matrix paths.
    JsonNode pairings = nlpCheckpoint.get("pairings");
    assertEquals(5, pairings.size());
    JsonNode genre = pairings.get("train-val_mismatched").get("groupings").get("genre");
    assertEquals(10, genre.get("group_names").size(), genre.toString());
    assertEquals(1.0, pairings.get("val-val").get("distance_profile").get(19).get("hi").asDouble());
    assertEquals(pairings, c.get("pairings"));
    assertTrue(c.get("train_loss").isNull(), "the checkpoint holds no training data");

    Map<String, byte[]> expected = TreeFiles.read(nlp.resolve(matrices));
    Map<String, byte[]> actual = TreeFiles.read(out.resolve(matrices));
    assertEquals(expected.keySet(), actual.keySet());
    assertTrue(expected.containsKey("train-val_mismatched.genre-cos.npy"), expected.toString());
    assertTrue(expected.containsKey("val-val.cos.npy"), expected.keySet().toString());
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
  }

  /** A copy of the checkpoint whose checkpoint.json is edited by {@code edit}. */
  private Path edited(Consumer<ObjectNode> edit) throws IOException {
    Path copy = Files.createDirectories(temp.resolve("edited"));
    try (Stream<Path> all = Files.list(checkpoint)) {
      for (Path p : all.toList()) {
        Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    Path file = copy.resolve("checkpoint.json");
    ObjectNode root = (ObjectNode) JsonSummary.mapper().readTree(file.toFile());
    edit.accept(root);
    JsonSummary.write(file, root);
    return copy;
  }

  private void refused(Path copy, String... named) {
    Run r = SavedCheckpoints.measure(copy, temp.resolve("out"));
    assertEquals(1, r.exitCode(), r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(copy.resolve("checkpoint.json").toString()), r.err());
    for (String n : named) {
      assertTrue(r.err().contains(n), n + " in " + r.err());
    }
  }

  @Test
  void anUnknownDistanceNamesTheFileAndTheField() throws IOException {
    refused(
        edited(root -> root.put("input_distance", "word-movers")),
        "field 'input_distance'",
        "word-movers",
        "bag-of-tokens-cosine");
  }

  @Test
  void aMissingBertFieldNamesTheFileAndTheField() throws IOException {
    refused(
        edited(root -> ((ObjectNode) root.get("model").get("config")).remove("hidden_size")),
        "field 'model.config.hidden_size' is missing");
  }

  @Test
  void anUnknownModelKindNamesTheFileAndTheField() throws IOException {
    refused(
        edited(root -> ((ObjectNode) root.get("model")).put("kind", "gpt")),
        "field 'model.kind'",
        "gpt");
  }
}
