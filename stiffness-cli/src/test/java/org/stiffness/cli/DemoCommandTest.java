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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stiffness demo}: a complete directory or none at all. */
class DemoCommandTest {
  @TempDir Path temp;

  @Test
  void writesSummaryMatricesPlotsAndReport() throws IOException {
    Path out = temp.resolve("demo");
    Run run = Run.of("demo", "--out", out.toString(), "--epochs", "1", "--points", "3");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("report.html"), run.out());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(2, summary.get("runs").size(), "two learning rates by default");
    JsonNode last = summary.at("/runs/0/checkpoints/2");
    assertTrue(last.get("val_acc").asDouble() > 0.5, "one epoch learns the digits: " + last);
    String matrix = last.at("/pairings/train-val/class_sign_matrix").asText();
    assertTrue(Files.isRegularFile(out.resolve(matrix)), matrix);
    String html = Files.readString(out.resolve("report.html"));
    try (Stream<Path> plots = Files.list(out.resolve("plots"))) {
      List<Path> pngs = plots.filter(p -> p.toString().endsWith(".png")).toList();
      assertFalse(pngs.isEmpty());
      for (Path png : pngs) {
        assertTrue(html.contains("plots/" + png.getFileName()), png.getFileName().toString());
      }
    }
    assertNoPartialDirectories();
  }

  @Test
  void nonEmptyOutputDirectoryIsRefusedAndLeftAlone() throws IOException {
    Path out = Files.createDirectories(temp.resolve("used"));
    Files.writeString(out.resolve("keep.txt"), "mine");
    Run run = Run.of("demo", "--out", out.toString());
    assertNotEquals(0, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("not empty"), run.err());
    try (Stream<Path> entries = Files.list(out)) {
      assertEquals(List.of(out.resolve("keep.txt")), entries.toList());
    }
    assertNoPartialDirectories();
  }

  @Test
  void unwritableOutputFailsWithOneLineAndCreatesNothing() throws IOException {
    Path file = Files.writeString(temp.resolve("a-file"), "x");
    Run run = Run.of("demo", "--out", file.resolve("demo").toString());
    assertNotEquals(0, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("cannot write"), run.err());
  }

  @Test
  void nonsenseLearningRateFailsWithOneLineNamingIt() {
    Run run = Run.of("demo", "--out", temp.resolve("x").toString(), "--lr", "1e-3,fast");
    assertEquals(2, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("fast"), run.err());
    assertFalse(Files.exists(temp.resolve("x")));
  }

  private void assertNoPartialDirectories() throws IOException {
    try (Stream<Path> entries = Files.walk(temp)) {
      assertTrue(
          entries.noneMatch(p -> p.getFileName().toString().startsWith(".partial")),
          "a partial output directory was left behind");
    }
  }
}
