package org.stiffness.vision;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.stiffness.datasets.ImageShape;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.datasets.subset.BalancedSubset;
import org.stiffness.experiments.ExperimentListener;
import org.stiffness.experiments.LearningRateSweep;
import org.stiffness.experiments.MeasurementSchedule;
import org.stiffness.experiments.MeasurementSettings;
import org.stiffness.experiments.MeasurementTimes;
import org.stiffness.experiments.StiffnessMeasurement;
import org.stiffness.experiments.SweepJournal;
import org.stiffness.experiments.Training;
import org.stiffness.io.JsonSummary;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Run;
import org.stiffness.summary.PairingSpec;

/**
 * The paper's vision experiment for one dataset and model: train from the same initial weights at
 * each learning rate, and at the scheduled steps measure loss, accuracy and stiffness on fixed
 * class-balanced train and val subsets; write everything to {@code DIR/summary.json}.
 *
 * <p>Reproducibility: the engine's random seed is set to {@code seed} before the model is
 * initialised once; every run loads those initial weights and shuffles with the same seed, so runs
 * differ only in their learning rate. The measured subsets are {@code BalancedSubset.ofTotal} of
 * the (already preprocessed) train and test parts with the same seed. The test part plays the
 * paper's validation set.
 */
public final class VisionExperiment {

  /**
   * @param learningRates one run per learning rate, in this order
   * @param optimizer Adam (the paper) or SGD
   * @param batchSize examples per step
   * @param epochs passes over the training set (fractional allowed); total steps = {@code
   *     round(epochs * ceil(N / batchSize))}
   * @param trainSubsetSize examples of the fixed train subset (capped at the training set size)
   * @param valSubsetSize examples of the fixed val subset (capped at the test set size)
   * @param seed seeds initial weights, shuffling and subsets
   * @param schedule measurement steps
   * @param device where training and Gram matrices run
   * @param measurement statistics settings
   * @param pairings what is measured, of the sets {@code train} and {@code val} (default: the
   *     paper's train-train, train-val and val-val)
   */
  public record Config(
      List<Double> learningRates,
      Training.OptimizerKind optimizer,
      int batchSize,
      double epochs,
      int trainSubsetSize,
      int valSubsetSize,
      long seed,
      MeasurementSchedule schedule,
      Device device,
      MeasurementSettings measurement,
      List<PairingSpec> pairings) {
    /**
     * @throws IllegalArgumentException for no learning rate or a size out of range
     */
    public Config {
      learningRates = List.copyOf(learningRates);
      if (learningRates.isEmpty()) {
        throw new IllegalArgumentException("no learning rate given");
      }
      for (double lr : learningRates) {
        new Training.Config(optimizer, lr, Math.max(batchSize, 1), seed); // validates lr
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
      }
      if (!(epochs >= 0) || !Double.isFinite(epochs)) {
        throw new IllegalArgumentException("epochs must be >= 0 and finite, got " + epochs);
      }
      if (trainSubsetSize < 2 || valSubsetSize < 2) {
        throw new IllegalArgumentException("the measured subsets need at least 2 examples each");
      }
      Objects.requireNonNull(schedule, "schedule");
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(measurement, "measurement");
      pairings = List.copyOf(pairings);
      if (pairings.isEmpty()) {
        throw new IllegalArgumentException("no pairing to measure");
      }
      for (PairingSpec p : pairings) {
        for (String set : List.of(p.rows(), p.cols())) {
          if (!set.equals("train") && !set.equals("val")) {
            throw new IllegalArgumentException(
                "pairing " + p.key() + " names set '" + set + "': the sets are train and val");
          }
        }
      }
    }

    /**
     * The paper's defaults: Adam, batch 32, 500-example subsets, 12 log-spaced measurements, seed
     * 0, CPU.
     */
    public static Config defaults(List<Double> learningRates, double epochs) {
      return new Config(
          learningRates,
          Training.OptimizerKind.ADAM,
          32,
          epochs,
          500,
          500,
          0,
          MeasurementSchedule.logSpaced(12),
          Device.cpu(),
          MeasurementSettings.defaults(),
          StiffnessMeasurement.standardPairings());
    }

    /** This configuration measuring {@code train} training and {@code val} validation examples. */
    public Config withSubsetSizes(int train, int val) {
      return new Config(
          learningRates,
          optimizer,
          batchSize,
          epochs,
          train,
          val,
          seed,
          schedule,
          device,
          measurement,
          pairings);
    }

    /** This configuration measuring at the checkpoints of {@code s}. */
    public Config withSchedule(MeasurementSchedule s) {
      return new Config(
          learningRates,
          optimizer,
          batchSize,
          epochs,
          trainSubsetSize,
          valSubsetSize,
          seed,
          s,
          device,
          measurement,
          pairings);
    }

    /** This configuration with another random seed. */
    public Config withSeed(long s) {
      return new Config(
          learningRates,
          optimizer,
          batchSize,
          epochs,
          trainSubsetSize,
          valSubsetSize,
          s,
          schedule,
          device,
          measurement,
          pairings);
    }

    /** This configuration with other statistics settings. */
    public Config withMeasurement(MeasurementSettings value) {
      return new Config(
          learningRates,
          optimizer,
          batchSize,
          epochs,
          trainSubsetSize,
          valSubsetSize,
          seed,
          schedule,
          device,
          value,
          pairings);
    }

    /** This configuration measuring these pairings of {@code train} and {@code val}. */
    public Config withPairings(List<PairingSpec> value) {
      return new Config(
          learningRates,
          optimizer,
          batchSize,
          epochs,
          trainSubsetSize,
          valSubsetSize,
          seed,
          schedule,
          device,
          measurement,
          value);
    }

    /** This configuration training and measuring on {@code d}. */
    public Config withDevice(Device d) {
      return new Config(
          learningRates,
          optimizer,
          batchSize,
          epochs,
          trainSubsetSize,
          valSubsetSize,
          seed,
          schedule,
          d,
          measurement,
          pairings);
    }
  }

  private final TrainTestSplit data;
  private final Supplier<Block> modelFactory;
  private final Config config;
  private MeasurementTimes times = new MeasurementTimes();

  /**
   * @param data preprocessed train and test parts (e.g. {@code Preprocessing.PAPER.apply(split)})
   * @param modelFactory makes a fresh uninitialised classifier for {@code data}'s classes, e.g.
   *     {@code () -> PaperModels.fullyConnected(10)}
   * @param config training and measurement settings
   */
  public VisionExperiment(TrainTestSplit data, Supplier<Block> modelFactory, Config config) {
    this.data = Objects.requireNonNull(data, "data");
    this.modelFactory = Objects.requireNonNull(modelFactory, "modelFactory");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Where the measurements' time went (gradients, products, statistics), after {@link #run}. */
  public MeasurementTimes times() {
    return times;
  }

  /** Optimiser steps of each run. */
  public long totalSteps() {
    long perEpoch = Training.stepsPerEpoch(data.train().size(), config.batchSize());
    return Math.round(config.epochs() * perEpoch);
  }

  /**
   * Runs every learning rate and writes {@code outDir/summary.json} (atomically, at the end) and
   * the class matrices under {@code outDir/matrices/}.
   *
   * @param outDir the experiment directory (created if missing)
   * @param describe extra configuration to record (dataset, model, preprocessing...), merged into
   *     {@code config}; may be null
   * @param listener progress
   * @return what was written
   * @throws IOException when an output cannot be written
   */
  public ExperimentSummary run(Path outDir, ObjectNode describe, ExperimentListener listener)
      throws IOException {
    return run(outDir, null, describe, listener);
  }

  /**
   * As {@link #run(Path, ObjectNode, ExperimentListener)}, resumable: the sweep's state is saved to
   * {@code journal} at every measured checkpoint, and a journal that holds an interrupted run of
   * this experiment (same data and configuration, same {@code outDir}) is continued from, giving
   * bitwise the results of an uninterrupted run.
   *
   * @param journal where the state is kept, or null for a run that cannot be resumed
   */
  public ExperimentSummary run(
      Path outDir, SweepJournal journal, ObjectNode describe, ExperimentListener listener)
      throws IOException {
    Objects.requireNonNull(listener, "listener");
    Files.createDirectories(outDir);
    LabelledImages train = data.train();
    LabelledImages test = data.test();
    int classes = train.classCount();
    LabelledImages trainSubset =
        BalancedSubset.select(
            train, Math.min(config.trainSubsetSize(), train.size()), config.seed());
    LabelledImages valSubset =
        BalancedSubset.select(test, Math.min(config.valSubsetSize(), test.size()), config.seed());
    LearningRateSweep.Plan plan =
        LearningRateSweep.Plan.of(
            config.learningRates(),
            config.optimizer(),
            config.batchSize(),
            config.seed(),
            config.epochs(),
            train.size(),
            config.schedule());
    long totalSteps = plan.totalSteps();
    long[] steps = plan.steps();
    List<Run> runs;
    try (NDManager manager = NDManager.newBaseManager(config.device());
        StiffnessMeasurement measurement =
            ImageMeasurement.of(
                trainSubset,
                valSubset,
                classes,
                config.pairings(),
                config.device(),
                outDir,
                config.measurement())) {
      runs =
          LearningRateSweep.run(
              plan,
              m -> fresh(m, train.shape()),
              manager,
              ImageData.of(train),
              ImageData.of(test),
              measurement::measure,
              listener,
              journal);
      times = measurement.times();
    }
    ExperimentSummary summary =
        new ExperimentSummary(
            configTree(describe, trainSubset.size(), valSubset.size(), totalSteps, steps), runs);
    JsonSummary.write(outDir.resolve("summary.json"), summary);
    return summary;
  }

  private Block fresh(NDManager manager, ImageShape shape) {
    Block model = modelFactory.get();
    model.initialize(
        manager, DataType.FLOAT32, new Shape(1, shape.channels(), shape.height(), shape.width()));
    return model;
  }

  private ObjectNode configTree(
      ObjectNode describe, int trainSubset, int valSubset, long totalSteps, long[] steps) {
    ObjectNode c = JsonSummary.mapper().createObjectNode();
    if (describe != null) {
      c.setAll(describe.deepCopy());
    }
    c.put("train_size", data.train().size());
    c.put("val_size", data.test().size());
    c.put("classes", data.train().classCount());
    ArrayNode names = c.putArray("class_names");
    data.train().classNames().forEach(names::add);
    c.put("train_subset_size", trainSubset);
    c.put("val_subset_size", valSubset);
    LearningRateSweep.describe(
        c,
        config.learningRates(),
        config.optimizer(),
        config.batchSize(),
        config.epochs(),
        config.seed(),
        Training.stepsPerEpoch(data.train().size(), config.batchSize()),
        totalSteps,
        config.schedule(),
        steps,
        config.device(),
        config.measurement());
    return c;
  }
}
