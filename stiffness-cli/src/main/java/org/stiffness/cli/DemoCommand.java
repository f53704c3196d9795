package org.stiffness.cli;

import static java.util.stream.Collectors.joining;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The first thing to run: the paper's fully connected net trained on the built-in 8x8 digits at two
 * learning rates, stiffness measured over training, everything written to one directory.
 */
@Command(
    name = "demo",
    header = "Start here: the paper's fc net on the built-in digits, measured and reported.",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the paper's fully connected ReLU net (64-500-300-100-10) on the built-in UCI 8x8"
          + " digits (1297 train / 500 test, per-feature standardised, projected to the unit"
          + " sphere) with Adam at two learning rates, and measures exact sign and cosine"
          + " stiffness at log-spaced steps for the train-train, train-val and val-val pairings.",
      "Writes DIR/summary.json, the class stiffness matrices (.npy), plots (DIR/plots) and"
          + " DIR/report.html. DIR must be missing or empty; the results appear in it only when"
          + " complete, and an interrupted demo continues when rerun with the same options."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (created; must be missing or empty).")
  Path out;

  @Option(
      names = "--lr",
      split = ",",
      defaultValue = "1e-3,1e-2",
      paramLabel = "LR[,LR...]",
      hideParamSyntax = true,
      converter = Converters.LearningRate.class,
      description = "Adam learning rates, one run each (default: ${DEFAULT-VALUE}).")
  List<Double> learningRates;

  @Option(
      names = "--epochs",
      defaultValue = "5",
      paramLabel = "E",
      description = "Epochs of training per learning rate (default: ${DEFAULT-VALUE}).")
  double epochs;

  @Option(
      names = "--points",
      defaultValue = "8",
      paramLabel = "K",
      description = "Log-spaced measurement points, step 0 included (default: ${DEFAULT-VALUE}).")
  int points;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      description = "Seed of the initial weights, subsets and batches (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      paramLabel = "DEVICE",
      description = "cpu, gpu or gpuN (default: ${DEFAULT-VALUE}).")
  String device;

  /** The demo is a preset of {@code vision}: same code path, same checks, same outputs. */
  @Override
  public Integer call() {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--dataset", "digits", "--model", "fc", "--subset-size", "500"));
    args.addAll(List.of("--lr", learningRates.stream().map(String::valueOf).collect(joining(","))));
    args.addAll(List.of("--epochs", String.valueOf(epochs), "--points", String.valueOf(points)));
    args.addAll(List.of("--seed", String.valueOf(seed), "--device", device));
    args.addAll(List.of("--out", out.toString()));
    CommandLine vision = spec.commandLine().getParent().getSubcommands().get("vision");
    return vision.execute(args.toArray(String[]::new));
  }
}
