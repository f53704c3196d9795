package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.io.JsonSummary;

/** {@code nlp --synthetic}: the NLI pipeline end to end without MNLI or a tokenizer file. */
class NlpSyntheticTest {
  @TempDir Path temp;

  @Test
  void runsEndToEndAndSaysTheDataAreSynthetic() throws IOException {
    Path out = temp.resolve("out");
    Run run =
        Run.of(
            "nlp",
            "--synthetic",
            "--model-size",
            "tiny",
            "--initializer-range",
            "0.1",
            "--lr",
            "1e-3",
            "--train-size",
            "30",
            "--val-size",
            "12",
            "--subset-size",
            "6",
            "--epochs",
            "1",
            "--batch-size",
            "6",
            "--points",
            "2",
            "--max-length",
            "16",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    String source =
        "synthetic NLI pairs (generated, not MNLI: 30 train, 12 in each dev split, seed 0)";
    assertTrue(run.err().contains("stiffness: data: " + source + "\n"), run.err());
    assertTrue(Files.isRegularFile(out.resolve("report.html")));
    JsonNode config =
        JsonSummary.mapper().readTree(out.resolve("summary.json").toFile()).get("config");
    assertTrue(config.get("synthetic").asBoolean(), config.toString());
    assertEquals(source, config.get("data_source").asText());
    assertEquals(30, config.get("train_size").asInt());
  }

  @Test
  void theDataAreMnliOrSyntheticNeverBothOrNeither() {
    Path out = temp.resolve("out");
    Run both = Run.of("nlp", "--synthetic", "--mnli-dir", temp.toString(), "--out", out.toString());
    assertEquals(2, both.exitCode());
    assertEquals(1, both.err().strip().lines().count(), both.err());
    assertTrue(both.err().contains("give --mnli-dir or --synthetic, not both"), both.err());
    Run neither = Run.of("nlp", "--model-size", "tiny", "--out", out.toString());
    assertEquals(2, neither.exitCode());
    assertEquals(1, neither.err().strip().lines().count(), neither.err());
    assertTrue(neither.err().contains("--mnli-dir D"), neither.err());
    assertTrue(neither.err().contains("--synthetic"), neither.err());
    Run tokenizer = Run.of("nlp", "--synthetic", "--tokenizer", "t.json", "--out", out.toString());
    assertEquals(2, tokenizer.exitCode());
    assertTrue(tokenizer.err().contains("leave out --tokenizer"), tokenizer.err());
    assertFalse(Files.exists(out));
  }
}
