package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * stiffness slurm --submit --wait on a real single-node Slurm, which .ci/run starts
 * (.ci/slurm-start.sh) and announces with STIFFNESS_SLURM_TEST=1. When that is set, every failure
 * to submit or run is a test failure; without it (no cluster) the test does not run.
 */
@EnabledIfEnvironmentVariable(named = "STIFFNESS_SLURM_TEST", matches = "1")
class SlurmClusterTest {
  @TempDir static Path shared;
  @TempDir Path temp;

  private static Path checkpoint;
  private static Path launcher;

  @BeforeAll
  static void saveACheckpointAndALauncher() throws IOException {
    checkpoint =
        SavedCheckpoints.trainDigits(
            shared.resolve("vision"),
            "--train-size",
            "200",
            "--subset-size",
            "40",
            "--epochs",
            "1",
            "--block-size",
            "8");
    // The jobs run this build's classes, as ./stiffness would run the packaged jar (which does not
    // exist yet in the test phase): same main class, same offline setting. The environment
    // (ONEDNN_MAX_CPU_ISA from surefire) reaches the jobs through sbatch's default --export=ALL.
    launcher = shared.resolve("stiffness");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        launcher,
        "#!/bin/bash\nexec "
            + SlurmScripts.quote(Path.of(java))
            + " -Xmx1g -Dai.djl.offline=true -cp "
            + SlurmScripts.quote(Path.of(System.getProperty("java.class.path")))
            + " org.stiffness.cli.StiffnessCli \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void fourTaskArrayAndMergeJobEqualOneProcessExactly() throws IOException {
    Path cluster = temp.resolve("cluster");
    Run slurm =
        Run.of(
            "slurm",
            "--checkpoint",
            checkpoint.toString(),
            "--tasks",
            "4",
            "--out",
            cluster.toString(),
            "--time",
            "15:00",
            "--launcher",
            launcher.toString(),
            "--submit",
            "--wait");
    assertEquals(0, slurm.exitCode(), slurm.out() + slurm.err() + logs(cluster));
    assertTrue(slurm.out().contains("merge job"), slurm.out());

    // Each array task measured its own shard i/4 (55 tiles of 8: 15 + 25 + 15).
    List<String> reports = new ArrayList<>();
    try (Stream<Path> logs = Files.list(cluster.resolve("slurm"))) {
      for (Path log :
          logs.filter(p -> p.toString().matches(".*/measure-\\d+_\\d\\.out")).toList()) {
        reports.add(Files.readString(log).strip());
      }
    }
    assertEquals(4, reports.size(), reports.toString());
    for (int i = 0; i < 4; i++) {
      int tiles = (55 - i + 3) / 4; // jobs i, i+4, ... below 55
      String expected = "shard " + i + "/4: computed " + tiles + " tiles";
      assertTrue(reports.stream().anyMatch(r -> r.contains(expected)), expected + " " + reports);
    }

    Path single = temp.resolve("single");
    Run measure =
        Run.of(
            "measure",
            "--checkpoint",
            checkpoint.toString(),
            "--out",
            single.toString(),
            "--shard",
            "0/1");
    assertEquals(0, measure.exitCode(), measure.err());
    assertEquals(0, Run.of("merge", single.toString()).exitCode());

    Map<String, byte[]> expected = TreeFiles.read(single.resolve("matrices"));
    Map<String, byte[]> actual = TreeFiles.read(cluster.resolve("matrices"));
    assertEquals(expected.keySet(), actual.keySet());
    assertTrue(expected.keySet().stream().anyMatch(n -> n.endsWith(".npy")), expected.toString());
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
    ObjectMapper json = new ObjectMapper();
    assertEquals(
        json.readTree(single.resolve("summary.json").toFile()).get("runs"),
        json.readTree(cluster.resolve("summary.json").toFile()).get("runs"));
  }

  /**
   * The shipped array script (scripts/slurm/influence-shards.sbatch) as a 4-task array of {@code
   * stiffness influence --shard slurm}, each task training its own model, then a {@code --merge}
   * run: the files of one process, bit for bit.
   */
  @Test
  void fourTaskInfluenceArrayEqualsOneProcessExactly() throws IOException, InterruptedException {
    Path shards = temp.resolve("influence-shards");
    Path logs = Files.createDirectories(temp.resolve("influence-logs"));
    Path script =
        Path.of("").toAbsolutePath().getParent().resolve("scripts/slurm/influence-shards.sbatch");
    List<String> options = InfluenceShardsCommandTest.options();
    List<String> command =
        new ArrayList<>(
            List.of(
                "sbatch",
                "--wait",
                "--array=0-3",
                "--time=15:00",
                "--output=" + logs + "/influence-%A_%a.out",
                script.toString(),
                shards.toString()));
    command.addAll(options.subList(1, options.size())); // the options after "influence"
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("STIFFNESS", launcher.toString());
    Process sbatch = builder.start();
    String said = new String(sbatch.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(sbatch.waitFor(15, TimeUnit.MINUTES), "sbatch --wait did not return: " + said);
    Map<String, byte[]> taskLogs = TreeFiles.read(logs);
    StringBuilder all = new StringBuilder(said);
    taskLogs.values().forEach(b -> all.append(new String(b, StandardCharsets.UTF_8)));
    assertEquals(0, sbatch.exitValue(), all.toString());

    // Each array task computed its own shard i/4 of the 5 tiles: 0 and 4, then 1, 2, 3.
    assertEquals(4, taskLogs.size(), taskLogs.keySet().toString());
    for (int i = 0; i < 4; i++) {
      String expected = "shard " + i + "/4: computed " + (i == 0 ? 2 : 1) + " of 5 tiles";
      assertTrue(all.toString().contains(expected), expected + " in " + all);
    }

    Path merged = temp.resolve("influence-merged");
    List<String> merge = new ArrayList<>(options);
    merge.addAll(List.of("--merge", shards.toString(), "--out", merged.toString()));
    Run m = InfluenceShardsCommandTest.run(merge);
    assertEquals(0, m.exitCode(), m.err());
    Path one = temp.resolve("influence-one");
    List<String> single = new ArrayList<>(options);
    single.addAll(List.of("--out", one.toString()));
    Run s = InfluenceShardsCommandTest.run(single);
    assertEquals(0, s.exitCode(), s.err());
    InfluenceShardsCommandTest.assertSameRun(one, merged, 4);
  }

  @Test
  void aFailingArrayTaskMakesWaitFail() throws IOException {
    // A launcher that fails: every array task exits 1, so afterok never holds and Slurm cancels
    // the merge job; --wait must report that, not succeed.
    Path failing = temp.resolve("failing");
    Files.writeString(failing, "#!/bin/bash\nexit 1\n");
    Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path out = temp.resolve("failed");
    Run slurm =
        Run.of(
            "slurm",
            "--checkpoint",
            checkpoint.toString(),
            "--tasks",
            "2",
            "--out",
            out.toString(),
            "--launcher",
            failing.toString(),
            "--submit",
            "--wait");
    assertEquals(1, slurm.exitCode(), slurm.out() + slurm.err());
    assertTrue(slurm.err().contains("ended CANCELLED"), slurm.err());
    assertEquals(1, slurm.err().strip().lines().count(), slurm.err());
  }

  private static String logs(Path out) throws IOException {
    Path dir = out.resolve("slurm");
    if (!Files.isDirectory(dir)) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, byte[]> e : TreeFiles.read(dir).entrySet()) {
      b.append("\n--- ")
          .append(e.getKey())
          .append('\n')
          .append(new String(e.getValue(), StandardCharsets.UTF_8));
    }
    return b.toString();
  }
}
