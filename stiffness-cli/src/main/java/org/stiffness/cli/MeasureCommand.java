package org.stiffness.cli;

import ai.djl.Device;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stiffness.experiments.SavedCheckpoint;
import org.stiffness.experiments.TiledMeasurement;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.MemoryBudget;
import org.stiffness.jobs.ProcessMemory;
import org.stiffness.jobs.Shard;
import org.stiffness.jobs.ShardReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** One shard of the tiles of a saved checkpoint's measurement. */
@Command(
    name = "measure",
    header = "Computes one shard of a saved checkpoint's Gram tiles and their statistics' sums.",
    mixinStandardHelpOptions = true,
    description = {
      "Computes the Gram tiles of shard i of k of a saved checkpoint's measurement"
          + " (vision or nlp --save-checkpoints), reduces each where it was computed to the sums"
          + " of its statistics and writes those into DIR/tiles, atomically with a SHA-256."
          + " Shard i/k holds the tiles numbered i, i+k, i+2k, ... (numbered across the"
          + " pairings in the checkpoint's order, e.g. train-train, train-val, val-val). Rerunning skips the tiles already there"
          + " and verified, and recomputes corrupt ones.",
      "Then stiffness merge DIR writes summary.json and the matrices.",
      "The shard defaults to the Slurm array task (SLURM_ARRAY_TASK_ID, _MIN, _STEP, _COUNT),"
          + " else 0/1 (every tile)."
    })
final class MeasureCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "C",
      description = "A saved checkpoint directory (holding checkpoint.json).")
  Path checkpoint;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "The measurement directory, shared by all shards (created): missing, empty, or one"
              + " an earlier measure of the same checkpoint made, whose tiles are kept.")
  Path out;

  @Option(
      names = "--shard",
      paramLabel = "i/k",
      description = "Shard i of k, 0 <= i < k (default: the Slurm array task, else 0/1).")
  String shard;

  @Option(
      names = "--block-size",
      defaultValue = "0",
      paramLabel = "B",
      description = "Examples per tile side (default: 0, the checkpoint's, else from the budget).")
  int blockSize;

  @Option(
      names = "--memory-budget",
      paramLabel = "SIZE",
      converter = Converters.ByteSize.class,
      description =
          "Memory the tiles are planned for, e.g. 4g (default: the checkpoint's, else 2g; never"
              + " the free memory, so every shard plans the same tiles).")
  Long memoryBudget;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      paramLabel = "DEVICE",
      converter = Converters.DeviceName.class,
      description = "cpu, gpu or gpuN (default: ${DEFAULT-VALUE}).")
  Device device;

  @Option(
      names = "--save-gram-tiles",
      description =
          "Also write each Gram tile (tile-N.npy, fp32 entries with their norms) next to its"
              + " statistics' sums; done anyway when the checkpoint asks for pair matrices."
              + " Without it a tile leaves only O(N + classes^2 + bins) numbers on disk.")
  boolean saveGramTiles;

  @Option(
      names = "--devices",
      paramLabel = "D1,D2,...",
      description =
          "Several devices or CPU workers, e.g. gpu0,gpu1 or cpu,cpu: one worker process per"
              + " entry computes shard i/k on device i (k entries); then stiffness merge DIR."
              + " Not with --shard or --device.")
  String devices;

  @Override
  public Integer call() throws IOException {
    if (blockSize < 0) {
      throw bad("--block-size must not be negative, got " + blockSize);
    }
    try {
      OutputDirectory.checkMeasurement(out);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    if (devices != null) {
      return onDevices();
    }
    TorchLogging.engine(); // libtorch warnings would bury the one-line report
    Shard chosen = shard();
    // Before the checkpoint is read and before DIR is created: an absent GPU is bad input.
    DeviceCheck.require(spec.commandLine(), device, "");
    PrintWriter stdout = spec.commandLine().getOut();
    try (SavedCheckpoint saved = SavedCheckpoint.load(checkpoint, CheckpointRegistry.kinds())) {
      GramOptions options = saved.settings().gram();
      if (blockSize > 0) {
        options = options.withBlockSize(blockSize);
      }
      if (memoryBudget != null) {
        options = options.withMemoryBudget(memoryBudget);
      }
      TiledMeasurement.ShardResult r;
      // A shard can run for hours: a bar on a terminal, a line every few seconds in a job log.
      try (TileProgress progress = new TileProgress(System.err, TileProgress.stderrIsTerminal());
          InterruptNotice notice =
              InterruptNotice.install(
                  spec.commandLine().getErr(),
                  () ->
                      "stiffness: stopped; the finished tiles in "
                          + out.resolve("tiles")
                          + " are kept: run the same command again to continue")) {
        progress.task("shard " + chosen);
        r =
            TiledMeasurement.measure(
                saved,
                options,
                device,
                out,
                chosen,
                new TiledMeasurement.Outputs(saveGramTiles),
                progress::tilesDone);
      }
      ShardReport report = r.report();
      stdout.printf(
          Locale.ROOT,
          "shard %s: computed %d tiles, recomputed %d corrupt, skipped %d already done (%d tiles"
              + " in all) in %s; %.1f s (%.1f s gradients, %.1f s products, %.1f s statistics of"
              + " which %.1f s input distances), %s written, peak RSS %s%n",
          r.shard(),
          r.computed(),
          r.recomputed(),
          r.skipped(),
          r.total(),
          out,
          report.seconds(),
          report.gradientSeconds(),
          report.productSeconds(),
          report.statisticsSeconds(),
          report.distanceSeconds(),
          MemoryBudget.format(report.bytesWritten()),
          ProcessMemory.format(report.peakRssBytes()));
      stdout.flush();
    }
    return 0;
  }

  /**
   * One worker process per device, each this command on its shard: a process, not a thread, because
   * DJL's PyTorch engine allows one gradient collector per process at a time.
   */
  private int onDevices() throws IOException {
    List<String> names;
    try {
      names = DeviceList.parse(devices);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    if (shard != null) {
      throw bad(
          "--devices and --shard exclude each other: --devices runs shards 0/k..k-1/k itself");
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--device")) {
      throw bad("--devices and --device exclude each other: give the devices as one list");
    }
    try {
      if (Shard.fromSlurm(System.getenv()).isPresent()) {
        throw bad(
            "--devices in a Slurm array task: the task's own shard would be ignored; give each"
                + " task one --device (stiffness slurm --gpus-per-task) instead");
      }
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    // Checked here, not only by each worker: otherwise k workers start, load the engine and fail
    // one by one, and the reason arrives as k forwarded errors.
    for (String name : names) {
      DeviceCheck.require(
          spec.commandLine(),
          new Converters.DeviceName().convert(name),
          "--devices '" + devices + "': ");
    }
    List<String> common =
        new ArrayList<>(List.of("measure", "--checkpoint", checkpoint.toString()));
    common.addAll(List.of("--out", out.toString()));
    if (blockSize > 0) {
      common.addAll(List.of("--block-size", Integer.toString(blockSize)));
    }
    if (memoryBudget != null) {
      common.addAll(List.of("--memory-budget", Long.toString(memoryBudget)));
    }
    if (saveGramTiles) {
      common.add("--save-gram-tiles");
    }
    List<WorkerProcesses.Worker> workers = DeviceShards.workers(names, common);
    List<WorkerProcesses.Outcome> outcomes;
    try {
      outcomes =
          WorkerProcesses.run(workers, spec.commandLine().getOut(), spec.commandLine().getErr());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the workers", e);
    }
    List<String> failures = new ArrayList<>();
    for (WorkerProcesses.Outcome o : outcomes) {
      if (o.failed()) {
        failures.add(
            o.worker().label() + " failed with exit code " + o.exitCode() + ": " + o.lastError());
      }
    }
    if (!failures.isEmpty()) {
      throw new IOException(
          String.join("; ", failures)
              + " (the other workers' tiles are kept: rerun the same command to resume)");
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(
        "%d workers (%s) computed their shards of %s; then: stiffness merge %s%n",
        names.size(), String.join(", ", names), out, out);
    stdout.flush();
    return 0;
  }

  private Shard shard() {
    try {
      if (shard != null) {
        return Shard.parse(shard);
      }
      return Shard.fromSlurm(System.getenv()).orElse(Shard.ALL);
    } catch (IllegalArgumentException e) {
      throw bad("--shard: " + e.getMessage());
    }
  }

  /** The model kinds a vision checkpoint records. */
  static Block model(String kind, int classes) {
    return ModelKind.parse(kind).build(classes);
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
