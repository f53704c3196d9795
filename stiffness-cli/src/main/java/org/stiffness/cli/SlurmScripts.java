package org.stiffness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two batch scripts of a Slurm measurement: an array job whose task i of K runs {@code
 * stiffness measure} as shard i/K (measure reads SLURM_ARRAY_TASK_ID and _COUNT itself), and a
 * merge job. Paths must be absolute: the scripts run in another process, maybe on another node.
 *
 * @param launcher the absolute path of the {@code stiffness} launcher the jobs run
 * @param checkpoint the saved checkpoint (absolute)
 * @param out the measurement directory (absolute); the scripts and logs go to {@code out/slurm}
 * @param tasks K, the array size and the shard count
 * @param partition the partition, or null for the cluster's default
 * @param time the time limit per task (Slurm's format, e.g. 2:00:00), or null for the default
 * @param gpusPerTask GPUs per array task; with any, measure runs on the GPU
 */
record SlurmScripts(
    Path launcher,
    Path checkpoint,
    Path out,
    int tasks,
    String partition,
    String time,
    int gpusPerTask) {

  /** Seconds before the time limit at which Slurm warns a measure task with SIGTERM. */
  static final int WARNING_SECONDS = 120;

  SlurmScripts {
    for (Path p : List.of(launcher, checkpoint, out)) {
      if (!p.isAbsolute()) {
        throw new IllegalArgumentException(p + " is not an absolute path");
      }
      // #SBATCH lines are split at whitespace by sbatch and cannot be quoted.
      if (p.toString().matches("(?s).*\\s.*")) {
        throw new IllegalArgumentException(
            "the path '" + p + "' contains whitespace, which #SBATCH lines cannot hold");
      }
    }
    if (tasks < 1) {
      throw new IllegalArgumentException("--tasks must be at least 1, got " + tasks);
    }
    if (gpusPerTask < 0) {
      throw new IllegalArgumentException(
          "--gpus-per-task must not be negative, got " + gpusPerTask);
    }
    for (String v : new String[] {partition, time}) {
      if (v != null && !v.matches("[A-Za-z0-9_.,:-]+")) {
        throw new IllegalArgumentException("'" + v + "' is not a Slurm partition or time");
      }
    }
  }

  Path directory() {
    return out.resolve("slurm");
  }

  Path measureScript() {
    return directory().resolve("measure.sbatch");
  }

  Path mergeScript() {
    return directory().resolve("merge.sbatch");
  }

  /** The array job: task i of K computes shard i/K of the tiles. */
  String measure() {
    List<String> lines = header("stiffness-measure");
    lines.add("#SBATCH --array=0-" + (tasks - 1));
    // %A is the array's job id, %a the task index: one log per task, kept with the measurement.
    lines.add("#SBATCH -o " + directory().resolve("measure-%A_%a.out"));
    lines.add("#SBATCH -e " + directory().resolve("measure-%A_%a.err"));
    lines.add("#SBATCH --ntasks=1");
    if (gpusPerTask > 0) {
      lines.add("#SBATCH --gpus-per-task=" + gpusPerTask);
    }
    // Requeued on preemption or node failure; and told (SIGTERM to this script only, "B:") 120 s
    // before the time limit, when it stops the shard and requeues itself.
    lines.add("#SBATCH --requeue");
    lines.add("#SBATCH --signal=B:TERM@" + WARNING_SECONDS);
    lines.add("");
    String device = gpusPerTask > 0 ? " --device gpu" : "";
    lines.addAll(requeueOnTerm());
    lines.add(
        quote(launcher)
            + " measure --checkpoint "
            + quote(checkpoint)
            + " --out "
            + quote(out)
            + device
            + " &");
    lines.add("shard=$!");
    lines.add("wait \"$shard\"");
    return String.join("\n", lines) + "\n";
  }

  /**
   * The shard runs in the background, so that the script takes the warning signal while it waits:
   * it stops the shard (each finished tile is on disk already, written atomically), waits for it,
   * and requeues this task, whose rerun skips the finished tiles. Set before the shard starts, so
   * that no signal finds the script without it.
   */
  private static List<String> requeueOnTerm() {
    return List.of(
        "# On SIGTERM (time limit near, or preemption): stop the shard, keep its finished tiles,"
            + " requeue.",
        "trap 'echo \"stiffness: task $SLURM_JOB_ID stopped by SIGTERM: its finished tiles are"
            + " kept; requeueing it to continue\" >&2; kill -TERM \"$shard\" 2>/dev/null;"
            + " wait \"$shard\"; scontrol requeue \"$SLURM_JOB_ID\"; exit 0' TERM");
  }

  /** The merge job; submitted with an afterok dependency on the array. */
  String merge() {
    List<String> lines = header("stiffness-merge");
    lines.add("#SBATCH -o " + directory().resolve("merge-%j.out"));
    lines.add("#SBATCH -e " + directory().resolve("merge-%j.err"));
    lines.add("#SBATCH --ntasks=1");
    // A merge stopped by preemption or a node failure starts over from the tiles when requeued.
    lines.add("#SBATCH --requeue");
    lines.add("");
    lines.add("exec " + quote(launcher) + " merge " + quote(out));
    return String.join("\n", lines) + "\n";
  }

  private List<String> header(String name) {
    List<String> lines = new ArrayList<>();
    lines.add("#!/bin/bash");
    lines.add("# Written by stiffness slurm; submit with sbatch (stiffness slurm --submit does).");
    lines.add("#SBATCH --job-name=" + name);
    // -D: the working directory of the job; Slurm fails the task at launch if it is missing.
    lines.add("#SBATCH -D " + out);
    if (partition != null) {
      lines.add("#SBATCH --partition=" + partition);
    }
    if (time != null) {
      lines.add("#SBATCH --time=" + time);
    }
    return lines;
  }

  /** A single-quoted shell word. */
  static String quote(Path p) {
    return "'" + p.toString().replace("'", "'\\''") + "'";
  }
}
