package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved checkpoints measured as tile jobs: {@code vision --save-checkpoints}, then {@code measure}
 * in shards and {@code merge}, against the numbers the vision run itself wrote.
 */
class ScaleOutTest {
  /** 60 examples per subset in blocks of 12: 15 + 25 + 15 tiles over the three pairings. */
  private static final int TILES = 55;

  @TempDir static Path shared;
  @TempDir Path temp;

  private static Path vision;
  private static Path trained;
  private static Path initial;
  private static String matrices;
  private static JsonNode visionCheckpoint;

  @BeforeAll
  static void trainAndSaveCheckpoints() throws IOException {
    vision = shared.resolve("vision");
    // Class groups ride along in the checkpoint: the merged summary must reproduce them too.
    Path groups = shared.resolve("strokes.txt");
    Files.writeString(groups, "round: 0, 6, 8, 9\nstraight: 1, 4, 7\nbent: 2, 3, 5\n");
    Run run =
        Run.of(
            "vision",
            "--class-groups",
            groups.toString(),
            "--dataset",
            "digits",
            "--model",
            "fc",
            "--train-size",
            "300",
            "--subset-size",
            "60",
            "--epochs",
            "2",
            "--points",
            "2",
            "--lr",
            "0.01",
            "--block-size",
            "12",
            "--save-checkpoints",
            "--save-pair-matrices",
            "--out",
            vision.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = new ObjectMapper().readTree(vision.resolve("summary.json").toFile());
    JsonNode checkpoints = summary.get("runs").get(0).get("checkpoints");
    visionCheckpoint = checkpoints.get(checkpoints.size() - 1);
    String step = String.format("%06d", visionCheckpoint.get("step").asLong());
    assertTrue(visionCheckpoint.get("step").asLong() > 0);
    trained = vision.resolve("checkpoints/lr=0.01/step=" + step);
    initial = vision.resolve("checkpoints/lr=0.01/step=000000");
    matrices = "matrices/lr=0.01/step=" + step;
    assertTrue(Files.isRegularFile(trained.resolve("checkpoint.json")), trained.toString());
  }

  private static Run measure(Path checkpoint, Path out, String... more) {
    return SavedCheckpoints.measure(checkpoint, out, more);
  }

  /** computed, recomputed, skipped from measure's report line. */
  private static int[] counts(Run run) {
    Matcher m =
        Pattern.compile("computed (\\d+) tiles, recomputed (\\d+) corrupt, skipped (\\d+)")
            .matcher(run.out());
    assertTrue(m.find(), run.out() + run.err());
    return new int[] {
      Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))
    };
  }

  private static int inShard(int i, int k, int total) {
    int n = 0;
    for (int job = 0; job < total; job++) {
      n += job % k == i ? 1 : 0;
    }
    return n;
  }

  private static Path sharded(Path out) {
    for (int i = 0; i < 3; i++) {
      Run r = measure(trained, out, "--shard", i + "/3");
      assertEquals(0, r.exitCode(), r.err());
      assertArrayEquals(new int[] {inShard(i, 3, TILES), 0, 0}, counts(r), r.out());
    }
    return out;
  }

  @Test
  void shardedMeasureAndMergeReproduceTheVisionRunExactly() throws IOException {
    long started = System.nanoTime();
    Path out = sharded(temp.resolve("m"));
    double shardsWall = (System.nanoTime() - started) / 1e9;
    Run merge = Run.of("merge", out.toString());
    assertEquals(0, merge.exitCode(), merge.err());
    assertTrue(merge.out().contains("shards: 3 reported"), merge.out());
    // What a long merge is doing, line by line on stderr.
    for (String pairing : List.of("train-train", "train-val", "val-val")) {
      assertTrue(merge.err().contains("stiffness: merge: statistics of " + pairing), merge.err());
    }
    String report = Files.readString(out.resolve("report.html"));
    for (int i = 0; i < 3; i++) {
      assertTrue(report.contains("<td class=\"l\">shard " + i + "/3</td>"), report);
    }
    assertTrue(Files.isDirectory(out.resolve("plots")), "the merge draws the plots too");

    JsonNode merged = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    JsonNode checkpoint = merged.get("runs").get(0).get("checkpoints").get(0);
    assertEquals(visionCheckpoint.get("step"), checkpoint.get("step"));
    assertEquals(0.01, merged.get("runs").get(0).get("lr").asDouble());
    // Every statistic, bin and matrix path of the three pairings, as the vision run wrote them.
    assertEquals(visionCheckpoint.get("pairings"), checkpoint.get("pairings"));
    // ... the coherence minima and the pairs that give them included (a total order on ties).
    assertTrue(
        checkpoint.at("/pairings/train-train/coherence/most_negative_cosine/pair").isArray(),
        "the sets with themselves carry coherence figures");
    assertTrue(
        checkpoint.at("/pairings/train-val/coherence").isMissingNode(), "train-val has none");
    assertEquals(
        "strokes.txt", checkpoint.at("/pairings/train-val/class_groups/name").asText(), "groups");

    // What the shards cost: one report per shard, their tiles adding up to the whole
    // measurement, times within the wall time around the three runs, a JVM-with-libtorch RSS.
    JsonNode resources = merged.get("config").get("resources");
    JsonNode shards = resources.get("shards");
    assertEquals(3, shards.size(), resources.toString());
    int tiles = 0;
    double seconds = 0;
    for (int i = 0; i < 3; i++) {
      JsonNode r = shards.get(i);
      assertEquals(i + "/3", r.get("shard").asText());
      assertEquals(inShard(i, 3, TILES), r.get("tiles_computed").asInt());
      tiles += r.get("tiles_computed").asInt() + r.get("tiles_skipped").asInt();
      assertTrue(r.get("seconds").asDouble() > 0, r.toString());
      seconds += r.get("seconds").asDouble();
      assertTrue(r.get("peak_rss_bytes").asLong() > 64L << 20, r.toString());
    }
    assertEquals(TILES, tiles);
    assertTrue(seconds < shardsWall, seconds + " s of tiles in " + shardsWall + " s of runs");
    assertEquals(seconds, resources.get("shard_seconds_total").asDouble(), 1e-9);
    assertTrue(resources.get("merge").get("peak_rss_bytes").asLong() > 64L << 20);

    // The class matrices and the full cosine and sign matrices, byte for byte.
    Map<String, byte[]> expected = TreeFiles.read(vision.resolve(matrices));
    Map<String, byte[]> actual = TreeFiles.read(out.resolve(matrices));
    assertEquals(expected.keySet(), actual.keySet());
    assertTrue(expected.containsKey("train-val.cos.npy"), expected.keySet().toString());
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
  }

  @Test
  void rerunSkipsFinishedTilesAndRecomputesACorruptOne() throws IOException {
    Path out = sharded(temp.resolve("m"));
    Run again = measure(trained, out, "--shard", "1/3");
    assertEquals(0, again.exitCode(), again.err());
    assertArrayEquals(new int[] {0, 0, inShard(1, 3, TILES)}, counts(again));

    // train-val tile 3 is job 15 + 3 = 18, in shard 0/3.
    Path tile = out.resolve("tiles/train-val/tile-000003.npy");
    byte[] good = Files.readAllBytes(tile);
    byte[] bad = good.clone();
    bad[bad.length - 1] ^= 0x01;
    Files.write(tile, bad);

    Run refused = Run.of("merge", out.toString());
    assertEquals(1, refused.exitCode());
    assertTrue(
        refused.err().contains("tile-000003.npy") && refused.err().contains("SHA-256"),
        refused.err());

    Run repair = measure(trained, out, "--shard", "0/3");
    assertEquals(0, repair.exitCode(), repair.err());
    assertArrayEquals(new int[] {0, 1, inShard(0, 3, TILES) - 1}, counts(repair));
    assertArrayEquals(good, Files.readAllBytes(tile), "recomputed bit for bit");
    assertEquals(0, Run.of("merge", out.toString()).exitCode());
  }

  @Test
  void mergeWithTilesMissingListsThem() throws IOException {
    Path out = temp.resolve("m");
    Run only = measure(trained, out, "--shard", "0/3");
    assertEquals(0, only.exitCode(), only.err());
    // The sums are what a tile's statistics need: without them the tile is missing.
    Files.delete(out.resolve("tiles/val-val/sums-000002.json")); // job 40 + 2, shard 0/3
    Files.delete(out.resolve("tiles/train-train/sums-000000.json")); // job 0, shard 0/3

    Run merge = Run.of("merge", out.toString());
    assertEquals(1, merge.exitCode());
    // One line of error after the merge's progress lines.
    String err =
        merge
            .err()
            .lines()
            .filter(l -> !l.startsWith("stiffness: merge: "))
            .collect(Collectors.joining("\n"))
            .strip();
    assertEquals(1, err.lines().count(), merge.err());
    assertTrue(
        err.startsWith(
            "stiffness: " + (TILES - inShard(0, 3, TILES) + 2) + " of 55 tiles are missing"),
        err);
    // A long list is summarised: the first 8 in the line, all of them in a file it names.
    assertTrue(
        err.contains(
            "the first 8: train-train tile 0 (shard 0/3), train-train tile 1 (shard 1/3),"
                + " train-train tile 2 (shard 2/3), train-train tile 4 (shard 1/3)"),
        err);
    Path listed = out.resolve("tiles").resolve("missing-tiles.txt");
    assertTrue(err.endsWith("are listed in " + listed), err);
    List<String> all = Files.readAllLines(listed);
    assertEquals(TILES - inShard(0, 3, TILES) + 2, all.size(), "one line per missing tile");
    for (String tile :
        List.of(
            "val-val tile 0 (shard 1/3)",
            "val-val tile 1 (shard 2/3)",
            "val-val tile 2 (shard 0/3)",
            "val-val tile 3 (shard 1/3)")) {
      assertTrue(all.contains(tile), tile + " in " + all);
    }
    assertFalse(Files.exists(out.resolve("summary.json")));
  }

  @Test
  void tilesOfAnotherConfigurationAreRejected() throws IOException {
    Path out = temp.resolve("m");
    assertEquals(0, measure(trained, out, "--shard", "0/1").exitCode());

    // Another checkpoint into the same directory: refused before any tile is written.
    Run other = measure(initial, out, "--shard", "0/1");
    assertEquals(1, other.exitCode());
    assertTrue(other.err().contains("holds tiles of configuration"), other.err());
    // The same checkpoint with another block size is another configuration, too.
    Run blocks = measure(trained, out, "--shard", "0/1", "--block-size", "10");
    assertEquals(1, blocks.exitCode());
    assertTrue(blocks.err().contains("holds tiles of configuration"), blocks.err());

    // A tile of the initial model copied in: merge names it.
    Path elsewhere = temp.resolve("initial");
    assertEquals(0, measure(initial, elsewhere, "--shard", "0/1").exitCode());
    for (String file : List.of("sums-000002.npy", "sums-000002.json")) {
      Files.copy(
          elsewhere.resolve("tiles/val-val/" + file),
          out.resolve("tiles/val-val/" + file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Run merge = Run.of("merge", out.toString());
    assertEquals(1, merge.exitCode());
    assertTrue(
        merge.err().contains("val-val/sums-000002.json was computed for configuration"),
        merge.err());
  }

  @Test
  void badShardSpecsAreRefused() {
    Path out = temp.resolve("m");
    for (String[] c :
        new String[][] {
          {"5/4", "the shard index i must be in 0..3"},
          {"0/0", "the shard count k must be at least 1"},
          {"1", "is not of the form i/k"}
        }) {
      Run r = measure(trained, out, "--shard", c[0]);
      assertEquals(2, r.exitCode(), c[0]);
      assertTrue(r.err().contains(c[1]), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
    assertFalse(Files.exists(out), "nothing written for a bad shard");

    assertEquals(0, measure(trained, out, "--shard", "2/3").exitCode());
    Run overlap = measure(trained, out, "--shard", "1/4");
    assertEquals(1, overlap.exitCode());
    assertTrue(overlap.err().contains("overlaps the shards of"), overlap.err());
  }

  @Test
  void aCheckpointWithAClassInTwoGroupsIsRefusedNamingTheField() throws IOException {
    Path copy = temp.resolve("checkpoint");
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(trained)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path description = copy.resolve("checkpoint.json");
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(description.toFile());
    ((ArrayNode) root.at("/class_groups/groups/1/classes")).add(6); // 6 is round already
    json.writeValue(description.toFile(), root);
    Run r = measure(copy, temp.resolve("m"));
    assertEquals(1, r.exitCode());
    assertTrue(
        r.err()
            .contains(
                "checkpoint.json: field 'class_groups.groups.1.classes': expected each class in"
                    + " one group, found class 6 again"),
        r.err());
  }

  @Test
  void mergeOfADirectoryMeasureDidNotWriteSaysSo() {
    Run r = Run.of("merge", temp.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("holds no measurement.json"), r.err());
    Run c = measure(temp.resolve("nothing"), temp.resolve("m"));
    assertEquals(1, c.exitCode());
    assertTrue(c.err().contains("checkpoint.json is missing"), c.err());
  }

  /**
   * A measure process killed with SIGKILL mid-way and rerun ends with the tiles and the merged
   * results of an uninterrupted run.
   */
  @Test
  void killedMeasureResumesToTheUninterruptedResult() throws Exception {
    Path killed = temp.resolve("killed");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Blocks of 4: 120 + 225 + 120 tiles, enough to be caught half-way.
    Process p =
        new ProcessBuilder(
                java,
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                "org.stiffness.cli.StiffnessCli",
                "measure",
                "--checkpoint",
                trained.toString(),
                "--out",
                killed.toString(),
                "--block-size",
                "4")
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("child.log").toFile())
            .start();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    int before = 0;
    while (before < 5 && p.isAlive() && Instant.now().isBefore(deadline)) {
      Thread.sleep(5);
      before = finishedTiles(killed);
    }
    p.destroyForcibly(); // SIGKILL on Linux
    p.waitFor();
    int atKill = finishedTiles(killed);
    assertTrue(
        atKill >= 5 && atKill < 465,
        "caught after " + atKill + " tiles: " + Files.readString(temp.resolve("child.log")));

    Run resumed = measure(trained, killed, "--block-size", "4");
    assertEquals(0, resumed.exitCode(), resumed.err());
    int[] c = counts(resumed);
    assertTrue(c[2] >= atKill, "skipped " + c[2] + " of the " + atKill + " found");
    assertEquals(465, c[0] + c[1] + c[2]);

    Path clean = temp.resolve("clean");
    assertEquals(0, measure(trained, clean, "--block-size", "4").exitCode());
    assertEquals(0, Run.of("merge", killed.toString()).exitCode());
    assertEquals(0, Run.of("merge", clean.toString()).exitCode());
    Map<String, byte[]> a = TreeFiles.read(killed.resolve("tiles"));
    Map<String, byte[]> b = TreeFiles.read(clean.resolve("tiles"));
    assertEquals(b.keySet(), a.keySet());
    for (String name : b.keySet()) {
      assertArrayEquals(b.get(name), a.get(name), name);
    }
    Map<String, byte[]> ma = TreeFiles.read(killed.resolve(matrices));
    Map<String, byte[]> mb = TreeFiles.read(clean.resolve(matrices));
    assertEquals(mb.keySet(), ma.keySet());
    for (String name : mb.keySet()) {
      assertArrayEquals(mb.get(name), ma.get(name), name);
    }
    JsonNode sa = new ObjectMapper().readTree(killed.resolve("summary.json").toFile());
    JsonNode sb = new ObjectMapper().readTree(clean.resolve("summary.json").toFile());
    assertEquals(sb.get("runs"), sa.get("runs"));
  }

  private static int finishedTiles(Path out) throws IOException {
    Path tiles = out.resolve("tiles");
    if (!Files.isDirectory(tiles)) {
      return 0;
    }
    // The child process is writing while we count: a temporary file can be renamed away between
    // the walk listing it and reading its attributes. Such a walk is simply taken again.
    while (true) {
      try (Stream<Path> all = Files.walk(tiles)) {
        // A tile is finished when its sums are: they are written after its Gram tile.
        return (int)
            all.filter(f -> f.getFileName().toString().matches("sums-\\d+\\.json")).count();
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException)) {
          throw e;
        }
      }
    }
  }
}
