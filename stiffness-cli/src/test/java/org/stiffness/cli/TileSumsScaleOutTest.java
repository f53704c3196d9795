package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards that keep only their tiles' statistics' sums: the merge adds them into exactly what the
 * vision run measured in one process; {@code --save-gram-tiles} adds the Gram tiles and changes
 * nothing else; a directory of the earlier format is refused with advice.
 */
class TileSumsScaleOutTest {
  /** 60 examples per subset in blocks of 12: 15 + 25 + 15 tiles over the three pairings. */
  private static final int TILES = 55;

  @TempDir static Path shared;
  @TempDir Path temp;

  private static Path vision;
  private static Path checkpoint;

  @BeforeAll
  static void saveACheckpoint() throws IOException {
    vision = shared.resolve("vision");
    checkpoint =
        SavedCheckpoints.trainDigits(
            vision,
            "--train-size",
            "300",
            "--subset-size",
            "60",
            "--epochs",
            "1",
            "--block-size",
            "12");
  }

  private static List<Path> files(Path dir, String pattern) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(f -> f.getFileName().toString().matches(pattern)).toList();
    }
  }

  private static JsonNode checkpointOf(Path summary) throws IOException {
    JsonNode runs = new ObjectMapper().readTree(summary.toFile()).get("runs");
    JsonNode checkpoints = runs.get(0).get("checkpoints");
    return checkpoints.get(checkpoints.size() - 1);
  }

  @Test
  void shardsOfSumsAloneMergeIntoTheOneProcessMeasurement() throws IOException {
    Path out = temp.resolve("sums");
    long written = 0;
    for (String shard : List.of("0/2", "1/2")) {
      Run r = SavedCheckpoints.measure(checkpoint, out, "--shard", shard);
      assertEquals(0, r.exitCode(), r.err());
      assertTrue(r.out().contains("s statistics of which"), r.out());
    }
    assertEquals(TILES, files(out, "sums-\\d+\\.npy").size());
    assertEquals(List.of(), files(out, "tile-\\d+\\.npy"), "no Gram tile without the option");
    Run merge = Run.of("merge", out.toString());
    assertEquals(0, merge.exitCode(), merge.err());

    // Every statistic of every pairing, and the class matrices, as the vision run wrote them.
    JsonNode measured = checkpointOf(vision.resolve("summary.json"));
    assertEquals(
        measured.get("pairings"), checkpointOf(out.resolve("summary.json")).get("pairings"));
    String matrices =
        "matrices/lr=0.01/step=" + String.format("%06d", measured.get("step").asLong());
    Map<String, byte[]> expected = TreeFiles.read(vision.resolve(matrices));
    Map<String, byte[]> actual = TreeFiles.read(out.resolve(matrices));
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
    // The shards say what they wrote, and it is what is on disk.
    JsonNode shards =
        new ObjectMapper()
            .readTree(out.resolve("summary.json").toFile())
            .at("/config/resources/shards");
    for (JsonNode s : shards) {
      written += s.get("bytes_written").asLong();
      assertTrue(s.get("statistics_seconds").asDouble() > 0, s.toString());
    }
    long onDisk = 0;
    for (Path f : files(out.resolve("tiles"), "sums-\\d+\\.(npy|json)")) {
      onDisk += Files.size(f);
    }
    assertEquals(onDisk, written);
  }

  @Test
  void gramTilesOnRequestBesideTheSameSums() throws IOException {
    Path plain = temp.resolve("plain");
    Path tiles = temp.resolve("tiles");
    assertEquals(0, SavedCheckpoints.measure(checkpoint, plain).exitCode());
    Run r = SavedCheckpoints.measure(checkpoint, tiles, "--save-gram-tiles");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(TILES, files(tiles, "tile-\\d+\\.npy").size());
    for (Path sums : files(plain, "sums-\\d+\\.npy")) {
      Path same = tiles.resolve(plain.relativize(sums));
      assertArrayEquals(Files.readAllBytes(sums), Files.readAllBytes(same), sums.toString());
    }
  }

  /**
   * A checkpoint saved before {@code checkpoint.json} recorded the learning rate and step, copied
   * to a path that names neither: it merges, summary and report, with both unknown, said once.
   */
  @Test
  void aCheckpointWithoutItsLearningRateAndStepMergesWithThemUnknown() throws IOException {
    Path copy = temp.resolve("copied-checkpoint");
    Files.createDirectories(copy);
    try (Stream<Path> all = Files.list(checkpoint)) {
      for (Path f : all.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path description = copy.resolve("checkpoint.json");
    ObjectNode root = (ObjectNode) new ObjectMapper().readTree(description.toFile());
    root.remove(List.of("lr", "step"));
    new ObjectMapper().writeValue(description.toFile(), root);
    Path out = temp.resolve("unknown");
    assertEquals(0, SavedCheckpoints.measure(copy, out).exitCode());
    Run merge = Run.of("merge", out.toString());
    assertEquals(0, merge.exitCode(), merge.err());
    assertEquals(
        1,
        merge.err().lines().filter(l -> l.contains("records no learning rate or step")).count(),
        merge.err());
    JsonNode run = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).at("/runs/0");
    assertTrue(run.get("lr").isNull(), run.toString());
    assertTrue(run.at("/checkpoints/0/step").isNull(), run.toString());
    assertEquals(
        checkpointOf(vision.resolve("summary.json")).get("pairings"),
        run.at("/checkpoints/0/pairings"));
    assertTrue(
        Files.readString(out.resolve("report.html")).contains("Last checkpoint: step unknown"));
  }

  @Test
  void aDirectoryOfTheEarlierFormatIsRefusedWithAdvice() throws IOException {
    Path out = temp.resolve("old");
    assertEquals(0, SavedCheckpoints.measure(checkpoint, out, "--shard", "0/1").exitCode());
    Path record = out.resolve("measurement.json");
    Files.writeString(
        record,
        Files.readString(record)
            .replace("stiffness-tiled-measurement/4", "stiffness-tiled-measurement/1"));
    Run merge = Run.of("merge", out.toString());
    assertEquals(1, merge.exitCode());
    assertTrue(
        merge.err().contains("run stiffness measure again into a new directory"), merge.err());
  }
}
