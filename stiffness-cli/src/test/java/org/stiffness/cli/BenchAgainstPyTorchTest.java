package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --against pytorch} with a fake Python: a shell script that claims torch and prints
 * canned JSON lines (3.0 s on its first run, 1.0 s after), or one that lacks torch. The figures of
 * the PyTorch side are therefore known by hand: best 1.0 s, median 2.0 s.
 */
class BenchAgainstPyTorchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CANNED =
      "{\"torch\": \"9.9.9-fake\", \"model\": \"fc\", \"n\": 64, \"method\": \"factorised\","
          + " \"device\": \"cpu\", \"threads\": 2, \"seconds\": [$S], \"gradient_seconds\": [0.25],"
          + " \"statistics_seconds\": [0.5], \"distance_seconds\": [0.125], \"statistics\":"
          + " {\"within_cosine\": 0.5, \"between_cosine\": -0.25, \"within_sign\": 1.0,"
          + " \"between_sign\": -0.5, \"pairs\": 4032, \"xi\": {\"reason\": \"non_negative_slope\"}}}";

  @Test
  void jsonHasBothSidesTheirRunsInOrderAndTheRatios(@TempDir Path dir) throws Exception {
    Path python = fakeTorch(dir);
    Run run =
        Run.of(
            "bench",
            "--model",
            "fc",
            "--n",
            "64",
            "--repeats",
            "2",
            "--json",
            "--against",
            "pytorch",
            "--python",
            python.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(1, run.out().strip().lines().count(), run.out());
    JsonNode c = JSON.readTree(run.out());
    JsonNode theirs = c.get("pytorch");
    assertEquals(3.0, theirs.at("/seconds/0").asDouble());
    assertEquals(1.0, theirs.at("/seconds/1").asDouble());
    assertEquals(1.0, theirs.get("best_seconds").asDouble());
    assertEquals(1, theirs.get("best_run").asInt());
    assertEquals(2.0, theirs.get("median_seconds").asDouble());
    assertEquals(-0.25, theirs.at("/statistics/between_cosine").asDouble());
    assertEquals("non_negative_slope", theirs.at("/statistics/xi_reason").asText());
    assertTrue(theirs.get("name").asText().contains("9.9.9-fake"), theirs.toString());

    JsonNode ours = c.get("ours");
    double a = ours.at("/seconds/0").asDouble();
    double b = ours.at("/seconds/1").asDouble();
    assertEquals(Math.min(a, b), ours.get("best_seconds").asDouble());
    assertEquals((a + b) / 2, ours.get("median_seconds").asDouble(), 1e-15);
    assertEquals(1.0 / Math.min(a, b), c.get("ratio_best").asDouble(), 1e-12);
    assertEquals(2.0 / ((a + b) / 2), c.get("ratio_median").asDouble(), 1e-12);
    // Ours computed real statistics of 64 examples: every non-self pair of valid examples.
    assertEquals(64 * 63, ours.at("/statistics/pairs").asLong());

    // The script ran once per repeat, each time told our device and thread count.
    assertEquals("2", Files.readString(dir.resolve("count")).strip());
    String args = Files.readString(dir.resolve("args"));
    assertTrue(args.contains("--device cpu --threads " + c.get("threads").asInt()), args);
  }

  @Test
  void textPutsTheSidesInTwoColumnsAndPrintsTheRatio(@TempDir Path dir) throws Exception {
    Path python = fakeTorch(dir);
    Run run =
        Run.of(
            "bench",
            "--model",
            "fc",
            "--n",
            "64",
            "--repeats",
            "2",
            "--against",
            "pytorch",
            "--python",
            python.toString());
    assertEquals(0, run.exitCode(), run.err());
    Matcher seconds =
        Pattern.compile(
                "seconds +([0-9.]+) s best, [0-9.]+ s median +1\\.000 s best, 2\\.000 s median")
            .matcher(run.out());
    assertTrue(seconds.find(), run.out());
    double oursBest = Double.parseDouble(seconds.group(1));
    Matcher ratio = Pattern.compile("PyTorch's time / ours: ([0-9.]+) best").matcher(run.out());
    assertTrue(ratio.find(), run.out());
    // Both figures are rounded in the table: ours to 1 ms of at least 10 ms, the ratio to 0.01.
    double expected = 1.0 / oursBest;
    assertEquals(expected, Double.parseDouble(ratio.group(1)), 0.06 * expected + 0.01, run.out());
    assertTrue(run.out().contains("critical length xi"), run.out());
    assertTrue(run.out().contains("none (non_negative_slope)"), run.out());
  }

  @Test
  void aPythonWithoutTorchIsOneLineSayingHowToInstallIt(@TempDir Path dir) throws Exception {
    Path python =
        script(
            dir.resolve("python-without-torch"),
            "echo \"ModuleNotFoundError: No module named 'torch'\" >&2; exit 1");
    Run run =
        Run.of(
            "bench",
            "--model",
            "fc",
            "--n",
            "8",
            "--against",
            "pytorch",
            "--python",
            python.toString());
    assertEquals(StiffnessCli.FAILED, run.exitCode(), run.err());
    assertEquals("", run.out());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    String line = run.err().strip();
    assertTrue(line.startsWith("stiffness: bench --against pytorch cannot run"), line);
    assertTrue(line.contains(python + ": ModuleNotFoundError: No module named 'torch'"), line);
    assertTrue(line.contains("apt-get install python3-torch"), line);
  }

  @Test
  void aMissingPythonIsNamedAsNotFound(@TempDir Path dir) {
    Path python = dir.resolve("no-such-python");
    Run run =
        Run.of(
            "bench",
            "--model",
            "fc",
            "--n",
            "8",
            "--against",
            "pytorch",
            "--python",
            python.toString());
    assertEquals(StiffnessCli.FAILED, run.exitCode(), run.err());
    assertTrue(run.err().contains(python + ": not found"), run.err());
  }

  @Test
  void modelsTheScriptLacksAreRefusedBeforeAnythingRuns() {
    Run run = Run.of("bench", "--model", "resnet20", "--n", "8", "--against", "pytorch");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("--against pytorch runs --model fc or cnn"), run.err());
    Run other = Run.of("bench", "--model", "fc", "--n", "8", "--against", "tensorflow");
    assertEquals(2, other.exitCode(), other.err());
    assertTrue(other.err().contains("--against must be pytorch, got 'tensorflow'"), other.err());
  }

  /** A Python that imports torch 9.9.9-fake and, as the script, prints the canned line. */
  private static Path fakeTorch(Path dir) throws IOException {
    String body =
        String.join(
            "\n",
            "if [ \"$1\" = -c ]; then echo 9.9.9-fake; exit 0; fi",
            "here=\"$(dirname \"$0\")\"",
            "count=$(( $(cat \"$here/count\" 2>/dev/null || echo 0) + 1 ))",
            "echo $count > \"$here/count\"",
            "echo \"$@\" >> \"$here/args\"",
            "if [ $count = 1 ]; then S=3.0; else S=1.0; fi",
            "echo 'torch_stiffness: warming up' >&2",
            "echo '" + CANNED.replace("$S", "'$S'") + "'");
    return script(dir.resolve("python-with-torch"), body);
  }

  private static Path script(Path file, String body) throws IOException {
    Files.writeString(file, "#!/bin/bash\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
