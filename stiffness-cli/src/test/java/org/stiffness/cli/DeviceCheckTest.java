package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.nlp.mnli.MnliFixtures;
import org.stiffness.nlp.text.WordPieceVocabulary;

/**
 * Every command that takes {@code --device} refuses a GPU the engine does not see before it reads
 * data or writes anything: exit code 2, one line naming the device and the engine's GPU count.
 */
class DeviceCheckTest {
  @TempDir static Path fixtures;
  @TempDir Path temp;

  /** A GPU the engine does not see: gpu1 on a machine with at most one (this one has none). */
  private static String absent;

  private static int engineGpus;
  private static Path mnli;
  private static Path tokenizer;

  @BeforeAll
  static void prepare() throws IOException {
    engineGpus = Engine.getInstance().getGpuCount();
    absent = "gpu" + Math.max(1, engineGpus);
    mnli = MnliFixtures.writeGlueDirectory(Files.createDirectories(fixtures.resolve("mnli")));
    tokenizer =
        WordPieceVocabulary.writeTokenizerJson(
            fixtures.resolve("tokenizer.json"), MnliFixtures.vocabulary());
  }

  /** Where a command would write; its parent must not appear either (outputs create parents). */
  private Path out() {
    return temp.resolve("parent").resolve("out");
  }

  private void assertRefused(Run run, String device) {
    assertEquals(2, run.exitCode(), run.out() + run.err());
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), "one line on stderr, got:\n" + err);
    assertTrue(
        err.startsWith("stiffness: ") && err.contains("device '" + device + "' is not available"),
        err);
    assertTrue(err.contains("engine sees " + engineGpus + " GPU(s)"), err);
    assertTrue(run.out().isEmpty(), "nothing on stdout, got:\n" + run.out());
    assertFalse(Files.exists(temp.resolve("parent")), "nothing written for an absent device");
  }

  @Test
  void doctorRefusesAnAbsentGpu() {
    assertRefused(Run.of("doctor", "--device", absent), absent);
  }

  @Test
  void benchRefusesAnAbsentGpu() {
    assertRefused(Run.of("bench", "--model", "fc", "--n", "4", "--device", absent), absent);
  }

  @Test
  void visionRefusesAnAbsentGpuBeforeLoadingDataOrCreatingItsDirectory() {
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "digits",
            "--model",
            "fc",
            "--device",
            absent,
            "--out",
            out().toString());
    assertRefused(run, absent);
  }

  @Test
  void demoRefusesAnAbsentGpu() {
    assertRefused(Run.of("demo", "--device", absent, "--out", out().toString()), absent);
  }

  @Test
  void nlpRefusesAnAbsentGpuBeforeReadingMnli() {
    List<String> args = new ArrayList<>(List.of("nlp", "--mnli-dir", mnli.toString()));
    args.addAll(List.of("--tokenizer", tokenizer.toString(), "--model-size", "tiny"));
    args.addAll(List.of("--device", absent, "--out", out().toString()));
    assertRefused(Run.of(args.toArray(String[]::new)), absent);
  }

  @Test
  void measureRefusesAnAbsentGpuBeforeReadingTheCheckpoint() throws IOException {
    // An empty folder: were the checkpoint read first, the error would name checkpoint.json.
    Path checkpoint = Files.createDirectories(temp.resolve("checkpoint"));
    assertRefused(
        SavedCheckpoints.measure(checkpoint, out(), "--device", absent, "--shard", "0/1"), absent);
  }

  @Test
  void measureRefusesEveryAbsentEntryOfDevicesBeforeStartingWorkers() throws IOException {
    Path checkpoint = Files.createDirectories(temp.resolve("checkpoint"));
    String list = "cpu," + absent;
    Run run = SavedCheckpoints.measure(checkpoint, out(), "--devices", list);
    assertRefused(run, absent);
    assertTrue(run.err().contains("--devices '" + list + "'"), run.err());
  }
}
