package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stiffness influence --shard i/n} in n processes (here n runs of the command in this JVM),
 * then {@code --merge}, writes the files of one process bit for bit; what cannot merge is refused
 * by name, with exit code 2 and nothing at {@code --out}.
 */
class InfluenceShardsCommandTest {
  @TempDir static Path shared;
  @TempDir Path temp;

  /** 60 training and 12 test digits cut into tiles of 13 by the budget: 5 x 1 tiles. */
  static List<String> options(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "influence",
                "--dataset",
                "digits",
                "--train-size",
                "60",
                "--test-size",
                "12",
                "--epochs",
                "2",
                "--checkpoints",
                "3",
                "--top-k",
                "4",
                "--flip-labels",
                "0.2",
                "--memory-budget",
                "1m"));
    args.addAll(List.of(more));
    return args;
  }

  static Run run(List<String> args) {
    return Run.of(args.toArray(String[]::new));
  }

  private static Path shards;

  @BeforeAll
  static void threeShards() {
    shards = shared.resolve("shards");
    for (int i = 0; i < 3; i++) {
      Run r = run(options("--shard", i + "/3", "--out", shards.toString()));
      assertEquals(0, r.exitCode(), r.err());
      assertTrue(
          r.out().startsWith("shard " + i + "/3: computed " + (i < 2 ? 2 : 1) + " of 5 tiles"),
          r.out());
    }
  }

  @Test
  void threeShardsMergedEqualOneProcessBitwise() throws IOException {
    Path merged = temp.resolve("merged");
    Run merge = run(options("--merge", shards.toString(), "--out", merged.toString()));
    assertEquals(0, merge.exitCode(), merge.err());
    Path one = temp.resolve("one");
    Run single = run(options("--out", one.toString()));
    assertEquals(0, single.exitCode(), single.err());

    assertSameRun(one, merged, 3);
  }

  /**
   * Every array of a merged run is the one-process run's, bit for bit, and so is influence.json but
   * for its timings and the merge's own record ({@code merged.shards}, which must be {@code
   * shards}).
   */
  static void assertSameRun(Path one, Path merged, int shards) throws IOException {
    Map<String, byte[]> expected = TreeFiles.read(one);
    Map<String, byte[]> actual = TreeFiles.read(merged);
    assertEquals(expected.keySet(), actual.keySet());
    List<String> arrays = expected.keySet().stream().filter(n -> n.endsWith(".npy")).toList();
    assertEquals(8, arrays.size(), arrays.toString()); // the lists, scores, sums, loss, flips
    for (String name : arrays) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode a = (ObjectNode) json.readTree(one.resolve("influence.json").toFile());
    ObjectNode b = (ObjectNode) json.readTree(merged.resolve("influence.json").toFile());
    assertEquals(shards, b.path("merged").path("shards").asInt(), b.toString());
    for (ObjectNode o : List.of(a, b)) {
      o.remove("merged");
      o.remove("timings_seconds");
    }
    assertEquals(a, b);
    assertTrue(a.path("auc_self_influence").isNumber(), a.toString());
  }

  @Test
  void aMissingShardIsNamedBeforeTraining() throws IOException {
    Path partial = temp.resolve("partial");
    Files.createDirectories(partial);
    try (Stream<Path> files = Files.list(shards)) {
      for (Path f : files.filter(p -> !p.getFileName().toString().contains("-1-of-")).toList()) {
        Files.copy(f, partial.resolve(f.getFileName()));
      }
    }
    Path out = temp.resolve("out");
    Run r = run(options("--merge", partial.toString(), "--out", out.toString()));
    refused(r, out, "--merge " + partial + ": influence shards 1/3 are missing (3 shards)");
    assertFalse(r.err().contains("run 1/1"), "trained before refusing: " + r.err());
  }

  /**
   * Shards of another training (another seed: other flips, weights and checkpoints) are consistent
   * among themselves; the merge run finds them out by their configuration hash.
   */
  @Test
  void shardsOfAnotherTrainingAreRefused() {
    Path other = temp.resolve("other");
    for (int i = 0; i < 2; i++) {
      Run r = run(options("--seed", "1", "--shard", i + "/2", "--out", other.toString()));
      assertEquals(0, r.exitCode(), r.err());
    }
    Path out = temp.resolve("out");
    Run r = run(options("--merge", other.toString(), "--out", out.toString()));
    refused(
        r,
        out,
        "--merge " + other + ": influence shard 0/2 was computed with another configuration");
  }

  @Test
  void shardingSettingsThatCannotWorkAreRefused() throws IOException {
    Path out = temp.resolve("out");
    List<String> noBudget = options("--shard", "0/2", "--out", out.toString());
    int at = noBudget.indexOf("--memory-budget");
    noBudget.remove(at + 1);
    noBudget.remove(at);
    refused(run(noBudget), out, "--shard needs --memory-budget SIZE");
    refused(
        run(options("--shard", "0/2", "--merge", shards.toString(), "--out", out.toString())),
        out,
        "--shard and --merge exclude each other");
    refused(
        run(options("--shard", "0/2", "--export", "--out", out.toString())),
        out,
        "--export with --shard");
    refused(run(options("--shard", "2/2", "--out", out.toString())), out, "--shard: ");
    Path busy = Files.createDirectories(temp.resolve("busy"));
    Files.writeString(busy.resolve("notes.txt"), "mine");
    Run r = run(options("--shard", "0/2", "--out", busy.toString()));
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("holds influence-<i>-of-<n> files only; it holds [notes.txt]"));
    if (System.getenv("SLURM_ARRAY_TASK_ID") == null) {
      refused(
          run(options("--shard", "slurm", "--out", out.toString())),
          out,
          "--shard: not in a Slurm array task");
    }
  }

  private static void refused(Run r, Path out, String start) {
    assertEquals(2, r.exitCode(), r.out() + r.err());
    List<String> lines = r.err().strip().lines().toList();
    assertTrue(lines.get(lines.size() - 1).startsWith("stiffness: " + start), r.err());
    assertFalse(Files.exists(out), out + " was written");
  }
}
