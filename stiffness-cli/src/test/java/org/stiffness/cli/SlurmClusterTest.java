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
