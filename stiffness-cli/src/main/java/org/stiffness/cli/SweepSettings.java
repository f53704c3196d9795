package org.stiffness.cli;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.stiffness.experiments.MeasurementSchedule;
import org.stiffness.experiments.MeasurementSettings;
import org.stiffness.experiments.Training;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.Precision;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.StiffnessMeasure;

/**
 * The settings every training-and-measuring experiment shares ({@code vision}, {@code nlp}): what
 * {@link SweepOptions} parses from a command line, and what {@code reproduce} writes down directly.
 * Messages name the command-line option a setting comes from.
 *
 * @param optimizer {@code adam} or {@code sgd}
 * @param batchSize training batch size
 * @param epochs epochs of training per learning rate, possibly fractional
 * @param points log-spaced measurement steps, step 0 included (unless {@code steps} is given)
 * @param steps the exact optimiser steps to measure at, or null for {@code points}
 * @param seed seed of weights, subsets and batches
 * @param savePairMatrices also write each pairing's full cosine and sign matrices
 * @param xiWindow {@code [lo, hi]}, the distance window of xi's fit
 * @param xiMeasure {@code cosine} or {@code sign}, the stiffness xi is fitted on
 * @param export also write the measured subsets, architecture and parameters for numpy users
 * @param saveCheckpoints also save every measured checkpoint for {@code stiffness measure}
 * @param blockSize examples per Gram tile side, 0 for the memory budget's
 * @param out the output directory
 * @param device where the engine computes
 * @param memoryBudget device bytes the engine may plan for, or null for half the free memory
 * @param precision operand precision of the Gram products
 */
record SweepSettings(
    String optimizer,
    int batchSize,
    double epochs,
    int points,
    List<Long> steps,
    long seed,
    boolean savePairMatrices,
    List<Double> xiWindow,
    String xiMeasure,
    boolean export,
    boolean saveCheckpoints,
    int blockSize,
    Path out,
    Device device,
    Long memoryBudget,
    Precision precision) {

  /** The settings of a command line that gives only {@code --out}: the options' defaults. */
  static SweepSettings defaults(Path out) {
    return new SweepSettings(
        "adam",
        32,
        1,
        12,
        null,
        0,
        false,
        List.of(0.0, 2.0),
        "cosine",
        false,
        false,
        0,
        out,
        Device.cpu(),
        null,
        Precision.FP32);
  }

  /** These settings with {@code epochs} epochs and {@code points} log-spaced checkpoints. */
  SweepSettings withLength(double epochs, int points) {
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
        device,
        memoryBudget,
        precision);
  }

  /** These settings with another output directory. */
  SweepSettings into(Path out) {
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
        device,
        memoryBudget,
        precision);
  }

  /** These settings with another seed and device. */
  SweepSettings on(long seed, Device device) {
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
        device,
        memoryBudget,
        precision);
  }

  /**
   * Checks what the types cannot: ranges and the words of the string settings.
   *
   * @throws IllegalArgumentException naming the option of the first setting out of range
   */
  void validate() {
    if (!(epochs > 0) || Double.isInfinite(epochs)) {
      throw new IllegalArgumentException("--epochs must be a positive number, got " + epochs);
    }
    if (points < 2) {
      throw new IllegalArgumentException("--points must be at least 2, got " + points);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
    }
    if (steps != null && steps.stream().anyMatch(s -> s < 0)) {
      throw new IllegalArgumentException("--steps must not be negative, got " + steps);
    }
    if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
      throw new IllegalArgumentException(
          "unknown optimizer '" + optimizer + "': expected adam or sgd");
    }
    if (!xiMeasure.equals("cosine") && !xiMeasure.equals("sign")) {
      throw new IllegalArgumentException(
          "unknown --xi-measure '" + xiMeasure + "': expected cosine or sign");
    }
    if (blockSize < 0) {
      throw new IllegalArgumentException("--block-size must not be negative, got " + blockSize);
    }
    if (xiWindow.size() != 2
        || !(xiWindow.get(0) >= 0)
        || !(xiWindow.get(1) > xiWindow.get(0))
        || xiWindow.get(1) > 2) {
      throw new IllegalArgumentException(
          "--xi-window must be LO,HI with 0 <= LO < HI <= 2, got " + xiWindow);
    }
  }

  /**
   * Refuses, naming {@code --epochs}, a run of more optimiser steps than {@link Training} can take
   * ({@link Training#MAX_STEPS}); called once the training-set size is known, before any work.
   *
   * @throws IllegalArgumentException when the run is too long
   */
  void checkTrainingLength(int trainExamples) {
    long perEpoch = Training.stepsPerEpoch(trainExamples, batchSize);
    // Math.round saturates at Long.MAX_VALUE instead of wrapping, so the comparison holds.
    long total = Math.round(epochs * perEpoch);
    if (total > Training.MAX_STEPS) {
      throw new IllegalArgumentException(
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
   * The learning rates of the sweep.
   *
   * @param given the command's {@code --lr}, null or empty when not given
   * @param defaults the command's default rates
   * @throws IllegalArgumentException when a rate is named twice
   */
  static List<Double> learningRates(List<Double> given, List<Double> defaults) {
    List<Double> rates = given == null || given.isEmpty() ? defaults : given;
    if (new HashSet<>(rates).size() != rates.size()) {
      // Each rate is one run, named by its rate in the summary and the plots: a second run of the
      // same rate would collide with the first only after all the training.
      throw new IllegalArgumentException("--lr names a learning rate twice: " + rates);
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
        .withGram(gramOptions())
        .withPairMatrices(savePairMatrices)
        .withExport(export)
        .withCriticalLength(
            CriticalLength.Config.defaults()
                .withMeasure(
                    xiMeasure.equals("sign") ? StiffnessMeasure.SIGN : StiffnessMeasure.COSINE)
                .withWindow(xiWindow.get(0), xiWindow.get(1)));
  }

  /**
   * The engine's Gram options: this budget, precision and block size, other settings at defaults.
   */
  GramOptions gramOptions() {
    return EngineOptions.gramOptions(precision, memoryBudget).withBlockSize(blockSize);
  }
}
