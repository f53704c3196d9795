package org.stiffness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.stiffness.experiments.MeasurementSchedule;
import org.stiffness.experiments.MeasurementSettings;
import org.stiffness.experiments.Training;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.StiffnessMeasure;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options every training-and-measuring command shares ({@code vision}, {@code nlp}): the optimiser,
 * measurement points and statistics, device and outputs. The learning rates are each command's own
 * option, whose default differs.
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
  java.nio.file.Path out;

  /** Checks what picocli cannot: ranges and the words of the string options. */
  void validate() {
    if (!(epochs > 0) || Double.isInfinite(epochs)) {
      throw bad("--epochs must be a positive number, got " + epochs);
    }
    if (points < 2) {
      throw bad("--points must be at least 2, got " + points);
    }
    if (batchSize < 1) {
      throw bad("--batch-size must be positive, got " + batchSize);
    }
    if (steps != null && steps.stream().anyMatch(s -> s < 0)) {
      throw bad("--steps must not be negative, got " + steps);
    }
    if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
      throw bad("unknown optimizer '" + optimizer + "': expected adam or sgd");
    }
    if (!xiMeasure.equals("cosine") && !xiMeasure.equals("sign")) {
      throw bad("unknown --xi-measure '" + xiMeasure + "': expected cosine or sign");
    }
    if (blockSize < 0) {
      throw bad("--block-size must not be negative, got " + blockSize);
    }
    if (xiWindow.size() != 2
        || !(xiWindow.get(0) >= 0)
        || !(xiWindow.get(1) > xiWindow.get(0))
        || xiWindow.get(1) > 2) {
      throw bad("--xi-window must be LO,HI with 0 <= LO < HI <= 2, got " + xiWindow);
    }
  }

  /**
   * Refuses, naming {@code --epochs}, a run of more optimiser steps than {@link Training} can take
   * ({@link Training#MAX_STEPS}); called once the training-set size is known, before any work.
   */
  void checkTrainingLength(int trainExamples) {
    long perEpoch = Training.stepsPerEpoch(trainExamples, batchSize);
    // Math.round saturates at Long.MAX_VALUE instead of wrapping, so the comparison holds.
    long total = Math.round(epochs * perEpoch);
    if (total > Training.MAX_STEPS) {
      throw bad(
          String.format(
              Locale.ROOT,
              "--epochs %s is %,d optimiser steps over %d training examples in batches of %d,"
                  + " more than the %,d a run can take",
              epochs,
              total,
              trainExamples,
              batchSize,
              Training.MAX_STEPS));
    }
  }

  /**
   * The output directory of a resumable sweep ({@link OutputDirectory#create}), refusing in one
   * line a {@code --out} that is not empty or holds another command's interrupted run.
   */
  OutputDirectory outputDirectory(CommandIdentity identity) throws IOException {
    try {
      return OutputDirectory.create(out, identity, true);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  /** Says in one line that the run continues from an interrupted one, and from where. */
  void sayResuming(OutputDirectory directory, int runs) throws IOException {
    Optional<String> saved = directory.journal().describe(runs);
    if (saved.isPresent()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("stiffness: continuing the interrupted run in " + out + " (" + saved.get() + ")");
      err.flush();
    }
  }

  /** After a failure: says what a rerun of the same command would continue from, if anything. */
  void sayKept(OutputDirectory directory, int runs) {
    if (directory.resuming()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(directory.keptLine(runs));
      err.flush();
    }
  }

  /**
   * The learning rates of the sweep, refused in one line when one is named twice. Each command
   * declares its own {@code --lr}, so that its help shows its own default.
   *
   * @param given the command's {@code --lr}, null or empty when not given
   * @param defaults the command's default rates
   */
  List<Double> learningRates(List<Double> given, List<Double> defaults) {
    List<Double> rates = given == null || given.isEmpty() ? defaults : given;
    if (new HashSet<>(rates).size() != rates.size()) {
      // Each rate is one run, named by its rate in the summary and the plots: a second run of the
      // same rate would collide with the first only after all the training.
      throw bad("--lr names a learning rate twice: " + rates);
    }
    return rates;
  }

  Training.OptimizerKind optimizerKind() {
    return optimizer.equals("sgd") ? Training.OptimizerKind.SGD : Training.OptimizerKind.ADAM;
  }

  MeasurementSchedule schedule() {
    if (steps != null && !steps.isEmpty()) {
      return MeasurementSchedule.explicit(steps.stream().mapToLong(Long::longValue).toArray());
    }
    return MeasurementSchedule.logSpaced(points);
  }

  MeasurementSettings measurement() {
    return MeasurementSettings.defaults()
        .withGram(engine.gramOptions().withBlockSize(blockSize))
        .withPairMatrices(savePairMatrices)
        .withExport(export)
        .withCriticalLength(
            CriticalLength.Config.defaults()
                .withMeasure(xiStiffnessMeasure())
                .withWindow(xiWindow.get(0), xiWindow.get(1)));
  }

  StiffnessMeasure xiStiffnessMeasure() {
    return xiMeasure.equals("sign") ? StiffnessMeasure.SIGN : StiffnessMeasure.COSINE;
  }

  ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
