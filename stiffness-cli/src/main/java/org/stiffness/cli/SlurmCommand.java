package org.stiffness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Writes (and submits) the Slurm array job of a saved checkpoint's measurement and its merge. */
@Command(
    name = "slurm",
    header = "Writes Slurm batch scripts: measure's shards as an array job, then merge.",
    mixinStandardHelpOptions = true,
    description = {
      "Writes DIR/slurm/measure.sbatch, an array job of K tasks where task i runs stiffness"
          + " measure as shard i/K, and DIR/slurm/merge.sbatch, which runs stiffness merge DIR."
          + " Logs go to DIR/slurm.",
      "With --submit, submits the array and then the merge job with --dependency=afterok on it;"
          + " with --wait, also waits for the merge job and fails unless it completed."
    })
final class SlurmCommand implements Callable<Integer> {
  /** Set by the ./stiffness launcher to its own absolute path. */
  static final String LAUNCHER_VARIABLE = "STIFFNESS_LAUNCHER";

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "C",
      description = "A saved checkpoint directory (vision or nlp --save-checkpoints).")
  Path checkpoint;

  @Option(
      names = "--tasks",
      required = true,
      paramLabel = "K",
      description = "Array tasks, each computing one shard of the tiles.")
  int tasks;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The measurement directory (created), shared by all tasks.")
  Path out;

  @Option(names = "--partition", paramLabel = "P", description = "Slurm partition.")
  String partition;

  @Option(names = "--time", paramLabel = "T", description = "Time limit per task, e.g. 2:00:00.")
  String time;

  @Option(
      names = "--gpus-per-task",
      defaultValue = "0",
      paramLabel = "G",
      description =
          "GPUs per array task (default: ${DEFAULT-VALUE}); with any, measure runs on --device gpu.")
  int gpusPerTask;

  @Option(names = "--submit", description = "Submit both jobs with sbatch.")
  boolean submit;

  @Option(
      names = "--wait",
      description = "With --submit: wait for the merge job; exit 1 unless it completed.")
  boolean await;

  @Option(
      names = "--launcher",
      paramLabel = "PATH",
      description =
          "The stiffness command the jobs run (default: the ./stiffness this was started from).")
  Path launcher;

  // Lets tests name a missing sbatch without changing the PATH of the JVM.
  @Option(names = "--sbatch", hidden = true, defaultValue = "sbatch")
  String sbatch;

  @Override
  public Integer call() throws IOException {
    if (tasks < 1) {
      throw bad("--tasks must be at least 1, got " + tasks);
    }
    if (await && !submit) {
      throw bad("--wait needs --submit");
    }
    if (!Files.isRegularFile(checkpoint.resolve("checkpoint.json"))) {
      throw bad(
          "--checkpoint: "
              + checkpoint.resolve("checkpoint.json")
              + " is missing (expected a directory saved by vision or nlp --save-checkpoints)");
    }
    try {
      OutputDirectory.checkMeasurement(out);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    SlurmScripts scripts;
    try {
      scripts =
          new SlurmScripts(
              launcher().toAbsolutePath().normalize(),
              checkpoint.toAbsolutePath().normalize(),
              out.toAbsolutePath().normalize(),
              tasks,
              partition,
              time,
              gpusPerTask);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    Files.createDirectories(scripts.directory());
    Files.writeString(scripts.measureScript(), scripts.measure());
    Files.writeString(scripts.mergeScript(), scripts.merge());
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf("wrote %s and %s%n", scripts.measureScript(), scripts.mergeScript());
    if (submit) {
      submit(scripts, stdout);
    }
    stdout.flush();
    return 0;
  }

  private void submit(SlurmScripts scripts, PrintWriter stdout) throws IOException {
    Sbatch slurm = new Sbatch(sbatch);
    String array = slurm.submit(scripts.measureScript(), List.of(), false);
    stdout.printf("submitted array job %s (%d tasks)%n", array, tasks);
    stdout.flush();
    // kill-on-invalid-dep: when a task fails, Slurm cancels the merge job instead of leaving it
    // pending forever (DependencyNeverSatisfied), so --wait returns.
    List<String> options = List.of("--dependency=afterok:" + array, "--kill-on-invalid-dep=yes");
    String merge = slurm.submit(scripts.mergeScript(), options, await);
    stdout.printf("submitted merge job %s (afterok:%s)%n", merge, array);
    if (await) {
      // sbatch --wait exits 0 for a merge job cancelled before it ran, so ask for its state.
      Optional<String> state = slurm.state(merge);
      if (state.isPresent() && !state.get().startsWith("COMPLETED")) {
        throw new IOException(
            "merge job "
                + merge
                + " ended "
                + state.get()
                + " (array job "
                + array
                + "); see the logs in "
                + scripts.directory());
      }
      Path summary = scripts.out().resolve("summary.json");
      if (!Files.isRegularFile(summary)) {
        throw new IOException(
            "merge job "
                + merge
                + " ended but "
                + summary
                + " is missing; see the logs in "
                + scripts.directory());
      }
      stdout.printf("merge job %s completed: %s%n", merge, summary);
    }
  }

  private Path launcher() {
    if (launcher != null) {
      return launcher;
    }
    String fromLauncher = System.getenv(LAUNCHER_VARIABLE);
    if (fromLauncher == null || fromLauncher.isBlank()) {
      throw bad(
          "the path of the stiffness launcher is unknown ("
              + LAUNCHER_VARIABLE
              + " is not set): run this as ./stiffness slurm, or give --launcher PATH");
    }
    return Path.of(fromLauncher);
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
