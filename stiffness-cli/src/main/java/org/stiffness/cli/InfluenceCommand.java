package org.stiffness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.stiffness.cli.VisionCommand.DatasetName;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
          + " appear only when complete. See docs/influence-command.md."
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
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (created; must be missing or empty).")
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
        out,
        engine.device,
        engine.gramOptions());
  }
}
