package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated batch scripts, line by line against the options. */
class SlurmScriptsTest {
  private static final Path LAUNCHER = Path.of("/opt/stiffness/stiffness");
  private static final Path CHECKPOINT = Path.of("/data/run/checkpoints/lr=0.01/step=000041");
  private static final Path OUT = Path.of("/scratch/m1");

  @Test
  void measureScriptIsAnArrayOfKShardsWithTheResourcesAskedFor() {
    SlurmScripts s = new SlurmScripts(LAUNCHER, CHECKPOINT, OUT, 4, "gpu", "2:00:00", 1);
    assertEquals(
        List.of(
            "#!/bin/bash",
            "# Written by stiffness slurm; submit with sbatch (stiffness slurm --submit does).",
            "#SBATCH --job-name=stiffness-measure",
            "#SBATCH -D /scratch/m1",
            "#SBATCH --partition=gpu",
            "#SBATCH --time=2:00:00",
            "#SBATCH --array=0-3",
            "#SBATCH -o /scratch/m1/slurm/measure-%A_%a.out",
            "#SBATCH -e /scratch/m1/slurm/measure-%A_%a.err",
            "#SBATCH --ntasks=1",
            "#SBATCH --gpus-per-task=1",
            "#SBATCH --requeue",
            "#SBATCH --signal=B:TERM@120",
            "",
            "# On SIGTERM (time limit near, or preemption): stop the shard, keep its finished"
                + " tiles, requeue.",
            "trap 'echo \"stiffness: task $SLURM_JOB_ID stopped by SIGTERM: its finished tiles"
                + " are kept; requeueing it to continue\" >&2; kill -TERM \"$shard\" 2>/dev/null;"
                + " wait \"$shard\"; scontrol requeue \"$SLURM_JOB_ID\"; exit 0' TERM",
            "'/opt/stiffness/stiffness' measure --checkpoint"
                + " '/data/run/checkpoints/lr=0.01/step=000041' --out '/scratch/m1' --device gpu"
                + " &",
            "shard=$!",
            "wait \"$shard\""),
        s.measure().lines().toList());
    assertTrue(s.measure().endsWith("\n"));
    assertEquals(OUT.resolve("slurm/measure.sbatch"), s.measureScript());
  }

  @Test
  void withoutResourceOptionsTheClusterDefaultsApplyAndMeasureRunsOnTheCpu() {
    SlurmScripts s = new SlurmScripts(LAUNCHER, CHECKPOINT, OUT, 1, null, null, 0);
    List<String> lines = s.measure().lines().toList();
    assertTrue(lines.contains("#SBATCH --array=0-0"), lines.toString());
    for (String line : lines) {
      assertTrue(
          !line.contains("--partition") && !line.contains("--time") && !line.contains("gpu"), line);
    }
    assertEquals(
        "'/opt/stiffness/stiffness' measure --checkpoint"
            + " '/data/run/checkpoints/lr=0.01/step=000041' --out '/scratch/m1' &",
        lines.get(lines.size() - 3));
  }

  @Test
  void mergeScriptRunsMergeOfTheDirectoryWithoutGpus() {
    SlurmScripts s = new SlurmScripts(LAUNCHER, CHECKPOINT, OUT, 4, "gpu", "30", 2);
    assertEquals(
        List.of(
            "#!/bin/bash",
            "# Written by stiffness slurm; submit with sbatch (stiffness slurm --submit does).",
            "#SBATCH --job-name=stiffness-merge",
            "#SBATCH -D /scratch/m1",
            "#SBATCH --partition=gpu",
            "#SBATCH --time=30",
            "#SBATCH -o /scratch/m1/slurm/merge-%j.out",
            "#SBATCH -e /scratch/m1/slurm/merge-%j.err",
            "#SBATCH --ntasks=1",
            "#SBATCH --requeue",
            "",
            "exec '/opt/stiffness/stiffness' merge '/scratch/m1'"),
        s.merge().lines().toList());
    assertEquals(OUT.resolve("slurm/merge.sbatch"), s.mergeScript());
  }

  @Test
  void quotesAPathForTheShell() {
    assertEquals("'/a/it'\\''s'", SlurmScripts.quote(Path.of("/a/it's")));
  }

  @Test
  void refusesWhatTheScriptsCannotHold() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new SlurmScripts(LAUNCHER, CHECKPOINT, OUT, 0, null, null, 0))
            .getMessage()
            .contains("--tasks must be at least 1, got 0"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new SlurmScripts(LAUNCHER, CHECKPOINT, Path.of("/my runs"), 2, null, null, 0))
            .getMessage()
            .contains("'/my runs' contains whitespace"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new SlurmScripts(LAUNCHER, Path.of("rel"), OUT, 2, null, null, 0))
            .getMessage()
            .contains("rel is not an absolute path"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new SlurmScripts(LAUNCHER, CHECKPOINT, OUT, 2, "a;b", null, 0))
            .getMessage()
            .contains("'a;b' is not a Slurm partition or time"));
  }
}
