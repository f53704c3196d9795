package org.stiffness.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options every training-and-measuring command shares ({@code vision}, {@code nlp}): the optimiser,
 * measurement points and statistics, device and outputs, parsed into {@link SweepSettings}. The
 * learning rates are each command's own option, whose default differs.
 */
final class SweepOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Mixin EngineOptions engine;

  @Option(
      names = "--optimizer",
      defaultValue = "adam",
      paramLabel = "adam|sgd",
      description = "Optimiser (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      paramLabel = "B",
      description = "Training batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--epochs",
      defaultValue = "1",
      paramLabel = "E",
      description =
          "Epochs of training per learning rate (default: ${DEFAULT-VALUE}; may be fractional).")
  double epochs;

  @Option(
      names = "--points",
      defaultValue = "12",
      paramLabel = "K",
      description = "Log-spaced measurement steps, step 0 included (default: ${DEFAULT-VALUE}).")
  int points;

  @Option(
      names = "--steps",
      split = ",",
      paramLabel = "S[,S...]",
      hideParamSyntax = true,
      description =
          "Measure at exactly these optimiser steps instead of --points log-spaced ones (0 is the"
              + " initial network; no step may exceed the run's last).")
  List<Long> steps;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      description = "Seed of weights, subsets and batches (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--save-pair-matrices",
      description =
          "Also write each pairing's full cosine and sign matrices (.npy, float32 and int8) next"
              + " to its class matrices, rows and columns in the order of the measured subsets.")
  boolean savePairMatrices;

  @Option(
      names = "--xi-window",
      split = ",",
      defaultValue = "0,2",
      paramLabel = "LO,HI",
      hideParamSyntax = true,
      description =
          "Distance window of the critical length xi's fit (default: ${DEFAULT-VALUE}, every"
              + " pair). When stiffness levels off near 0 at large"
              + " distances, a window over the decaying part (for example 0,1) keeps the plateau"
              + " from pulling the crossing out of range; see docs/statistics.md.")
  List<Double> xiWindow;

  @Option(
      names = "--xi-measure",
      defaultValue = "cosine",
      paramLabel = "cosine|sign",
      description =
          "Stiffness that xi is fitted on, per pair (default: ${DEFAULT-VALUE})."
              + " The paper does not say which; docs/statistics.md compares the two.")
  String xiMeasure;

  @Option(
      names = "--export",
      description =
          "Also write the measured subsets exactly as fed to the model (export/subsets.npz),"
              + " the architecture (export/architecture.json) and the frozen parameters at each"
              + " checkpoint (<checkpoint>/parameters.npz), for numpy or PyTorch users.")
  boolean export;

  @Option(
      names = "--save-checkpoints",
      description =
          "Also save every measured checkpoint as a self-contained directory"
              + " (checkpoints/lr=.../step=...: parameters, the measured subsets as fed, the"
              + " statistics settings) that stiffness measure recomputes without the dataset.")
  boolean saveCheckpoints;

  @Option(
      names = "--block-size",
      defaultValue = "0",
      paramLabel = "B",
      description =
          "Examples per Gram tile side (default: 0, from the memory budget). Saved checkpoints"
              + " record it, so stiffness measure cuts the same tiles.")
  int blockSize;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "Output directory (created; must be missing or empty, a mount point or a link to an"
              + " empty directory included). An interrupted run keeps its state in DIR/.partial;"
              + " the same command with the same DIR continues from its last measured"
              + " checkpoint.")
  Path out;

  /** The settings these options give. */
  SweepSettings settings() {
    return new SweepSettings(
        optimizer,
        batchSize,
        epochs,
        points,
        steps,
        seed,
        savePairMatrices,
        xiWindow,
        xiMeasure,
        export,
        saveCheckpoints,
        blockSize,
        out,
        engine.device,
        engine.memoryBudget,
        engine.precision);
  }

  /** A refusal of the command's options in one line, exit code 2. */
  ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
