package org.stiffness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.stiffness.cli.VisionCommand.DatasetName;
import org.stiffness.jobs.Shard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Exact TracIn influence of a training set on a test set: train a vision model, keep it at K
 * checkpoints, and rank the training examples by self-influence (mislabelled ones first) and each
 * test example's proponents and opponents. The options make an {@link InfluenceRequest}, which
 * {@link InfluenceRun} runs.
 */
@Command(
    name = "influence",
    header = "Trains a vision model and computes exact TracIn influence of its training set.",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a vision model at one constant learning rate (SGD by default, as in the TracIn"
          + " paper), keeps it at --checkpoints K checkpoints evenly spaced in steps, and computes"
          + " TracInCP, sum_k w_k g_k(z) . g_k(z') with w_k the learning rate times the steps"
          + " checkpoint k stands for, exactly over all parameters (or --layers) without ever"
          + " holding the training x test matrix: the self-influence of every training example and"
          + " the --top-k proponents and opponents of every test example. --flip-labels F flips a"
          + " seeded share of the training labels, and the run reports how well self-influence"
          + " and the final loss find them (ROC AUC).",
      "Writes DIR/influence.json, self_influence.npy, total_influence.npy, proponents.npy,"
          + " opponents.npy (test x k training indices) with their _scores.npy, flipped.npy,"
          + " final_loss.npy, plots (DIR/plots) and DIR/report.html, through DIR/.partial: they"
          + " appear only when complete. See docs/influence-command.md.",
      "Across processes: n runs with --shard i/n (or a Slurm array with --shard slurm) write"
          + " their shards to one directory, then a run with --merge joins them; every run trains"
          + " the same model from --seed and takes the same options, --memory-budget included."
    })
final class InfluenceCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin EngineOptions engine;

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "NAME",
      converter = VisionCommand.DatasetConverter.class,
      description = "mnist, fashion-mnist, cifar10, cifar100 or digits (built in).")
  DatasetName dataset;

  @Option(
      names = "--data-dir",
      paramLabel = "D",
      description = "Data directory, as for stiffness vision (see its --help).")
  Path dataDir;

  @Option(
      names = "--model",
      defaultValue = "fc",
      paramLabel = "fc|cnn|resnet20",
      converter = Converters.Model.class,
      description = "The paper's model (default: ${DEFAULT-VALUE}), as for stiffness vision.")
  ModelKind model;

  @Option(
      names = "--preprocessing",
      defaultValue = "paper",
      paramLabel = "paper|none",
      description =
          "Input preprocessing (default: ${DEFAULT-VALUE}), as for stiffness vision; the pictures"
              + " always show the images as they are.")
  String preprocessing;

  @Option(
      names = "--train-size",
      defaultValue = "0",
      paramLabel = "N",
      description = "Class-balanced training examples to train on (default: 0, all of them).")
  int trainSize;

  @Option(
      names = "--test-size",
      defaultValue = "0",
      paramLabel = "M",
      description = "Class-balanced test examples to rank proponents for (default: 0, all).")
  int testSize;

  @Option(
      names = "--optimizer",
      defaultValue = "sgd",
      paramLabel = "sgd|adam",
      description =
          "Optimiser (default: ${DEFAULT-VALUE}). TracIn's weights (learning rate x steps) assume"
              + " plain SGD; with adam they are nominal.")
  String optimizer;

  @Option(
      names = "--lr",
      defaultValue = "0.1",
      paramLabel = "LR",
      converter = Converters.LearningRate.class,
      description = "Constant learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--epochs",
      defaultValue = "5",
      paramLabel = "E",
      description = "Epochs of training (default: ${DEFAULT-VALUE}; may be fractional).")
  double epochs;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      paramLabel = "B",
      description = "Training batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--checkpoints",
      defaultValue = "5",
      paramLabel = "K",
      description =
          "K checkpoints (default: ${DEFAULT-VALUE}) evenly spaced in steps, the last at the end"
              + " of training; each weighs the learning rate times the steps since the one"
              + " before.")
  int checkpoints;

  @Option(
      names = "--top-k",
      defaultValue = "10",
      paramLabel = "K",
      description = "Proponents and opponents kept (default: ${DEFAULT-VALUE}) per test example.")
  int topK;

  @Option(
      names = "--layers",
      split = ",",
      paramLabel = "NAME[,NAME...]",
      hideParamSyntax = true,
      description =
          "Only these layers' parameters count (Captum's layers), by the model's block names; a"
              + " wrong name is refused with the list of names (default: every parameter).")
  List<String> layers;

  @Option(
      names = "--flip-labels",
      defaultValue = "0",
      paramLabel = "F",
      description =
          "Share of training labels flipped (default: ${DEFAULT-VALUE}), each to another class"
              + " drawn uniformly from the others, seeded by --seed; saved as flipped.npy.")
  double flipLabels;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      description =
          "Seed (default: ${DEFAULT-VALUE}) of weights, subsets, flipped labels and batches.")
  long seed;

  @Option(
      names = "--export",
      description =
          "Also write the sets exactly as fed to the model (export/subsets.npz, training labels as"
              + " trained), the architecture (export/architecture.json) and the parameters at"
              + " each checkpoint (checkpoints/step=.../parameters.npz), for numpy or PyTorch users.")
  boolean export;

  @Option(
      names = "--shard",
      paramLabel = "i/n|slurm",
      description =
          "Compute only shard i of n of the influence's tiles (tiles i, i+n, ...) after training,"
              + " into DIR/influence-i-of-n.{json,npy}: DIR is then the shard directory all n"
              + " processes share (created; it holds shard files only). 'slurm' takes the Slurm"
              + " array task (SLURM_ARRAY_TASK_ID, _MIN, _STEP, _COUNT). Needs --memory-budget."
              + " Then the same command with --merge DIR and another --out.")
  String shard;

  @Option(
      names = "--merge",
      paramLabel = "SHARDS",
      description =
          "Train, then join the shards in SHARDS (from --shard runs with the same options)"
              + " instead of computing the tiles: the files of one process with the same"
              + " --memory-budget, bit for bit. A missing shard, or one computed with other data,"
              + " checkpoints or options, is refused by name. Needs --memory-budget.")
  Path merge;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "Output directory (created; must be missing or empty); with --shard, the shard"
              + " directory.")
  Path out;

  @Override
  public Integer call() throws IOException {
    new InfluenceRun(spec.commandLine(), spec.commandLine().getOut())
        .run(request(), CommandIdentity.of(spec));
    return 0;
  }

  /** The request these options make. */
  InfluenceRequest request() {
    return new InfluenceRequest(
        dataset,
        dataDir,
        model,
        preprocessing,
        trainSize,
        testSize,
        optimizer,
        learningRate,
        epochs,
        batchSize,
        checkpoints,
        topK,
        layers == null ? List.of() : layers,
        flipLabels,
        seed,
        export,
        shard(),
        merge,
        out,
        engine.device,
        engine.gramOptions());
  }

  /** The shard to compute, or null for all of the tiles. */
  private Shard shard() {
    if (shard == null) {
      return null;
    }
    try {
      if (shard.strip().equals("slurm")) {
        return Shard.fromSlurm(System.getenv())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "not in a Slurm array task (SLURM_ARRAY_TASK_ID is not set)"));
      }
      return Shard.parse(shard);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--shard: " + e.getMessage());
    }
  }
}
