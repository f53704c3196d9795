package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stiffness slurm without a cluster: the scripts it writes and its one-line errors. */
class SlurmCommandTest {
  @TempDir Path temp;
  private Path checkpoint;

  @BeforeEach
  void aCheckpointDirectory() throws IOException {
    // slurm only checks that checkpoint.json is there; measure reads it inside the jobs.
    checkpoint = Files.createDirectories(temp.resolve("ckpt"));
    Files.writeString(checkpoint.resolve("checkpoint.json"), "{}");
  }

  private Run slurm(String... more) {
    String[] base = {
      "slurm",
      "--checkpoint",
      checkpoint.toString(),
      "--out",
      temp.resolve("m").toString(),
      "--launcher",
      "/opt/stiffness/stiffness"
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return Run.of(args);
  }

  private static void assertOneLine(Run r, int exit, String expected) {
    assertEquals(exit, r.exitCode(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(expected), r.err());
  }

  @Test
  void writesBothScriptsAsSlurmScriptsWouldForTheAbsolutePaths() throws IOException {
    Run r = slurm("--tasks", "3", "--partition", "short", "--time", "10:00");
    assertEquals(0, r.exitCode(), r.err());
    SlurmScripts expected =
        new SlurmScripts(
            Path.of("/opt/stiffness/stiffness"),
            checkpoint.toAbsolutePath(),
            temp.resolve("m").toAbsolutePath(),
            3,
            "short",
            "10:00",
            0);
    assertEquals(expected.measure(), Files.readString(expected.measureScript()));
    assertEquals(expected.merge(), Files.readString(expected.mergeScript()));
    assertTrue(Files.readString(expected.measureScript()).contains("#SBATCH --array=0-2\n"));
    assertTrue(r.out().contains("wrote " + expected.measureScript()), r.out());
  }

  @Test
  void badInputIsOneLineNamingWhatWasExpected() {
    assertOneLine(slurm("--tasks", "0"), 2, "--tasks must be at least 1, got 0");
    assertOneLine(slurm("--tasks", "2", "--wait"), 2, "--wait needs --submit");
    assertOneLine(slurm("--tasks", "2", "--gpus-per-task", "-1"), 2, "must not be negative");
    Run missing =
        Run.of(
            "slurm",
            "--checkpoint",
            temp.resolve("nothing").toString(),
            "--tasks",
            "2",
            "--out",
            temp.resolve("m").toString());
    assertOneLine(missing, 2, temp.resolve("nothing/checkpoint.json") + " is missing");
    assertFalse(Files.exists(temp.resolve("m")), "nothing written for bad input");
  }

  @Test
  void sbatchNotFoundIsOneLine() {
    Path none = temp.resolve("bin/sbatch");
    Run r = slurm("--tasks", "2", "--submit", "--sbatch", none.toString());
    assertOneLine(r, 1, none + " not found: Slurm's client commands must be on the PATH");
    // The scripts are written before submitting, so they can be submitted by hand.
    assertTrue(Files.isRegularFile(temp.resolve("m/slurm/measure.sbatch")));
  }
}
