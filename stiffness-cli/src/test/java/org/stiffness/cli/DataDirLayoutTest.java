package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code --data-dir} layout for every command: each dataset in its own subdirectory ({@code
 * D/mnist/}, as {@code reproduce} reads it), and, for {@code vision} with one dataset, its files
 * directly in {@code D}. Each run names where its data came from, on stderr and in summary.json.
 */
class DataDirLayoutTest {
  @TempDir Path temp;

  private Run vision(Path dataDir, Path out) {
    return Run.of(
        "vision",
        "--dataset",
        "mnist",
        "--data-dir",
        dataDir.toString(),
        "--epochs",
        "1",
        "--points",
        "2",
        "--lr",
        "0.01",
        "--subset-size",
        "20",
        "--out",
        out.toString());
  }

  private static JsonNode summary(Path out) throws IOException {
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  @Test
  void visionReadsTheDatasetsSubdirectoryAsReproduceDoes() throws IOException {
    Path data = temp.resolve("data");
    Path mnist =
        IdxFixture.write(
            data.resolve("mnist"), IdxFixture.cycling(40, 10), IdxFixture.cycling(20, 10), 1);
    // Another dataset beside it, as in reproduce's layout, is left alone.
    IdxFixture.write(
        data.resolve("fashion-mnist"), IdxFixture.cycling(30, 10), IdxFixture.cycling(20, 10), 2);
    Path out = temp.resolve("out");
    Run run = vision(data, out);
    assertEquals(0, run.exitCode(), run.err());
    String source = "directory " + mnist.toAbsolutePath();
    assertTrue(run.err().contains("stiffness: data: mnist from " + source + "\n"), run.err());
    assertEquals(source, summary(out).findValue("data_source").asText());
    assertEquals(40, summary(out).findValue("train_size").asInt());
  }

  @Test
  void visionStillReadsOneDatasetsFilesDirectlyInTheDirectory() throws IOException {
    Path flat =
        IdxFixture.write(
            temp.resolve("flat"), IdxFixture.cycling(30, 10), IdxFixture.cycling(20, 10), 3);
    Path out = temp.resolve("out");
    Run run = vision(flat, out);
    assertEquals(0, run.exitCode(), run.err());
    String source = "directory " + flat.toAbsolutePath();
    assertTrue(run.err().contains("stiffness: data: mnist from " + source + "\n"), run.err());
    assertEquals(source, summary(out).findValue("data_source").asText());
    assertEquals(30, summary(out).findValue("train_size").asInt());
  }

  @Test
  void neitherLayoutFailsInOneLineNamingWhatWasLookedFor() throws IOException {
    Path data = Files.createDirectories(temp.resolve("data").resolve("cifar-10-batches-bin"));
    Path out = temp.resolve("out");
    Run run = vision(data.getParent(), out);
    assertNotEquals(0, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(
        run.err()
            .startsWith(
                "stiffness: mnist: "
                    + data.getParent()
                    + ": holds neither mnist/ nor the IDX files themselves"),
        run.err());
    assertTrue(run.err().contains("--data-dir D must hold mnist/ with train-images"), run.err());
    assertFalse(Files.exists(out.resolve("summary.json")));
  }

  @Test
  void theBuiltInDigitsSaySo() throws IOException {
    Path out = temp.resolve("out");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "digits",
            "--epochs",
            "0.05",
            "--points",
            "2",
            "--lr",
            "0.01",
            "--subset-size",
            "20",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.err().contains("stiffness: data: digits from built-in digits"), run.err());
    assertTrue(summary(out).findValue("data_source").asText().startsWith("built-in digits"));
  }
}
