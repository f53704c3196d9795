package org.stiffness.vision;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.stiffness.datasets.ImageShape;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.experiments.Export;
import org.stiffness.experiments.MeasuredSet;
import org.stiffness.experiments.Training;
import org.stiffness.experiments.influence.InfluenceCheckpoints;
import org.stiffness.experiments.influence.InfluenceTraining;
import org.stiffness.gradients.Checkpoint;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramProgress;
import org.stiffness.influence.InfluenceResult;
import org.stiffness.influence.InfluenceShard;
import org.stiffness.influence.TracIn;
import org.stiffness.jobs.Shard;

/**
 * The influence experiment on images: train one model at a constant learning rate, keep it at
 * TracIn's checkpoints, and compute exact TracInCP of the whole training set on the test set over
 * all parameters (or the chosen layers) with the engine ({@link TracIn}): every training example's
 * self-influence, and every test example's top-k proponents and opponents.
 *
 * <p>Reproducibility: the engine's random seed is set to {@code seed} and the model initialised on
 * the CPU (a GPU's generator draws other numbers), then moved to the device; batches are shuffled
 * with the same seed ({@link Training}).
 */
public final class InfluenceExperiment {

  /**
   * @param model what the model is, e.g. {@code fc} (recorded in the export's architecture)
   * @param optimizer SGD (TracIn's derivation) or Adam
   * @param learningRate the constant learning rate
   * @param batchSize examples per step
   * @param epochs passes over the training set (fractional allowed); total steps {@code
   *     round(epochs * ceil(N / batchSize))}
   * @param checkpoints K, the checkpoints evenly spaced in steps
   * @param topK proponents and opponents kept per test example
   * @param layers the layers whose parameters count, empty for all
   * @param seed seeds the initial weights and the batches
   * @param device where training and the engine run
   * @param gram memory budget and precision of the engine
   */
  public record Config(
      String model,
      Training.OptimizerKind optimizer,
      double learningRate,
      int batchSize,
      double epochs,
      int checkpoints,
      int topK,
      List<String> layers,
      long seed,
      Device device,
      GramOptions gram) {
    /** Checks the settings that the engine and the training would refuse late. */
    public Config {
      new Training.Config(optimizer, learningRate, batchSize, seed); // validates
      if (!(epochs > 0) || !Double.isFinite(epochs)) {
        throw new IllegalArgumentException("--epochs must be a positive number, got " + epochs);
      }
      if (topK < 1) {
        throw new IllegalArgumentException("--top-k must be at least 1, got " + topK);
      }
      layers = List.copyOf(layers);
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(gram, "gram");
    }
  }

  /**
   * What a run gives.
   *
   * @param trained the checkpoints with their weights, loss and accuracy
   * @param finalLoss (N) each training example's loss (on its label as trained) after training
   * @param influence the engine's result: self-influence, proponents and opponents
   * @param trainingSeconds wall-clock time of the training
   * @param influenceSeconds wall-clock time of the influence computation
   * @param stepsPerEpoch optimiser steps per epoch
   */
  public record Outcome(
      InfluenceTraining.Trained trained,
      float[] finalLoss,
      InfluenceResult influence,
      double trainingSeconds,
      double influenceSeconds,
      long stepsPerEpoch) {}

  /** The sets until a run has made them the engine's examples; then null (a run's data go). */
  private TrainTestSplit data;

  private final ImageShape shape;
  private final int trainSize;
  private final Supplier<Block> modelFactory;
  private final Config config;

  /**
   * An experiment runs once ({@link #run}, {@link #shard} or {@link #merge}): it lets its sets go
   * once the engine holds them as device arrays.
   *
   * @param data preprocessed train and test parts, the training labels as trained (flipped ones
   *     included)
   * @param modelFactory makes a fresh uninitialised classifier for the data's classes
   * @param config training and influence settings
   */
  public InfluenceExperiment(TrainTestSplit data, Supplier<Block> modelFactory, Config config) {
    this.data = Objects.requireNonNull(data, "data");
    this.shape = data.train().shape();
    this.trainSize = data.train().size();
    this.modelFactory = Objects.requireNonNull(modelFactory, "modelFactory");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Optimiser steps per epoch. */
  public long stepsPerEpoch() {
    return Training.stepsPerEpoch(trainSize, config.batchSize());
  }

  /** Optimiser steps of the run. */
  public long totalSteps() {
    return Math.round(config.epochs() * stepsPerEpoch());
  }

  /**
   * The checkpoints of the run with their weights.
   *
   * @throws IllegalArgumentException when there are more checkpoints than steps
   */
  public List<InfluenceCheckpoints.Checkpoint> checkpoints() {
    return InfluenceCheckpoints.evenlySpaced(
        totalSteps(), config.checkpoints(), config.learningRate());
  }

  /**
   * Refuses, before any training, {@code layers} the model does not have: the engine is built once
   * on the initial model, which checks every name (and loads nothing else).
   *
   * @throws IllegalArgumentException naming a layer that is not the model's, with its layers
   */
  public void checkLayers() throws IOException {
    if (config.layers().isEmpty()) {
      return;
    }
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Block model = modelFactory.get();
      ImageShape s = shape;
      model.initialize(
          manager, DataType.FLOAT32, new Shape(1, s.channels(), s.height(), s.width()));
      try (TracIn unused =
          TracIn.builder(model)
              .checkpoints(List.of(Checkpoint.snapshot("initial", 1, model)))
              .layers(config.layers())
              .build()) {
        // built: every name selects parameters of the model
      }
    }
  }

  /**
   * What a shard run gives: the shard, to be written for the merge.
   *
   * @param shard the shard's reduced tiles
   * @param trainingSeconds wall-clock time of the training
   * @param influenceSeconds wall-clock time of the shard's tiles
   */
  public record ShardOutcome(
      InfluenceShard shard, double trainingSeconds, double influenceSeconds) {}

  /**
   * Trains, then computes the influence.
   *
   * @param listener told after every training step
   * @param progress told after every tile of the influence computation
   * @param export where to write the sets as fed, the architecture and the parameters at each
   *     checkpoint ({@code export/subsets.npz}, {@code export/architecture.json}, {@code
   *     checkpoints/step=.../parameters.npz}), or null for none
   * @throws Training.DivergedException when training diverges
   */
  public Outcome run(Training.StepListener listener, GramProgress progress, Path export)
      throws IOException {
    return outcome(trainThen(listener, progress, export, TracIn::influence));
  }

  /**
   * Trains, then computes only shard {@code shard} of the influence's tiles ({@link TracIn#shard}),
   * for {@link #merge} in another process. Every process trains the same model from the same seed;
   * {@link #merge} refuses shards whose checkpoints came out otherwise.
   *
   * @throws Training.DivergedException when training diverges
   */
  public ShardOutcome shard(Training.StepListener listener, GramProgress progress, Shard shard)
      throws IOException {
    Ran<InfluenceShard> ran =
        trainThen(
            listener, progress, null, (tracIn, train, test) -> tracIn.shard(train, test, shard));
    return new ShardOutcome(ran.result(), ran.trainingSeconds(), ran.influenceSeconds());
  }

  /**
   * Trains, then joins the shards other processes computed ({@link #shard}) instead of computing
   * the tiles: the outcome {@link #run} gives, bit for bit.
   *
   * @param shards every shard of the computation, read back ({@link InfluenceShard#readAll})
   * @throws IllegalArgumentException when a shard is missing or repeated, or was computed with
   *     other data, checkpoints or options ({@link TracIn#merge}, naming it)
   */
  public Outcome merge(Training.StepListener listener, Path export, List<InfluenceShard> shards)
      throws IOException {
    return outcome(
        trainThen(
            listener,
            GramProgress.NONE,
            export,
            (tracIn, train, test) -> tracIn.merge(train, test, shards)));
  }

  /** What the engine does with the trained checkpoints: all tiles, a shard, or a merge. */
  @FunctionalInterface
  private interface Computation<T> {
    T apply(TracIn tracIn, Examples train, Examples test);
  }

  /** A training and what the engine gave. */
  private record Ran<T>(
      InfluenceTraining.Trained trained,
      float[] finalLoss,
      T result,
      double trainingSeconds,
      double influenceSeconds) {}

  private Outcome outcome(Ran<InfluenceResult> ran) {
    return new Outcome(
        ran.trained(),
        ran.finalLoss(),
        ran.result(),
        ran.trainingSeconds(),
        ran.influenceSeconds(),
        stepsPerEpoch());
  }

  private <T> Ran<T> trainThen(
      Training.StepListener listener,
      GramProgress progress,
      Path export,
      Computation<T> computation)
      throws IOException {
    List<InfluenceCheckpoints.Checkpoint> checkpoints = checkpoints();
    if (data == null) {
      throw new IllegalStateException(
          "an InfluenceExperiment runs once: its sets were released when the engine took them");
    }
    LabelledImages train = data.train();
    LabelledImages test = data.test();
    try (NDManager manager = NDManager.newBaseManager(config.device())) {
      Block model = fresh(manager);
      long start = System.nanoTime();
      InfluenceTraining.Trained trained =
          InfluenceTraining.train(
              model,
              ImageData.of(train),
              ImageData.of(test),
              new Training.Config(
                  config.optimizer(), config.learningRate(), config.batchSize(), config.seed()),
              totalSteps(),
              checkpoints,
              listener);
      float[] finalLoss = Training.perExampleLosses(model, ImageData.of(train));
      double trainingSeconds = (System.nanoTime() - start) / 1e9;
      Examples trainSet = examples(manager, "train", train, 0);
      Examples testSet = examples(manager, "test", test, train.size());
      if (export != null) {
        export(export, model, trained, trainSet, testSet, train, test);
      }
      // The engine reads the examples from the device arrays from here on: the preprocessed
      // sets in the Java heap (every Fashion-MNIST example: 220 MB) are let go and the heap
      // shrunk before the long computation, so they do not sit in the process's peak memory.
      data = null;
      train = null;
      test = null;
      System.gc();
      List<Checkpoint> weighted = new ArrayList<>();
      for (int k = 0; k < checkpoints.size(); k++) {
        int at = k;
        InfluenceCheckpoints.Checkpoint c = checkpoints.get(k);
        weighted.add(Checkpoint.of(name(c.step()), c.weight(), m -> trained.load(at, m)));
      }
      start = System.nanoTime();
      T result;
      try (TracIn tracIn =
          TracIn.builder(model)
              .checkpoints(weighted)
              .layers(config.layers())
              .topK(config.topK())
              .device(config.device())
              .options(config.gram())
              .progress(progress)
              .build()) {
        result = computation.apply(tracIn, trainSet, testSet);
      }
      double influenceSeconds = (System.nanoTime() - start) / 1e9;
      return new Ran<>(trained, finalLoss, result, trainingSeconds, influenceSeconds);
    }
  }

  /** {@code step=000157}: a checkpoint's name, zero-padded so that the names sort by step. */
  public String name(long step) {
    String width = "%0" + Math.max(6, Long.toString(totalSteps()).length()) + "d";
    return "step=" + String.format(Locale.ROOT, width, step);
  }

  private void export(
      Path dir,
      Block model,
      InfluenceTraining.Trained trained,
      Examples trainSet,
      Examples testSet,
      LabelledImages train,
      LabelledImages test)
      throws IOException {
    Path exportDir = Files.createDirectories(dir.resolve("export"));
    Export.subsets(
        exportDir.resolve("subsets.npz"),
        List.of(
            new MeasuredSet(trainSet, train.labels(), Map.of()),
            new MeasuredSet(testSet, test.labels(), Map.of())));
    Export.architecture(exportDir.resolve("architecture.json"), model, trainSet, config.model());
    try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
      Block copy = modelFactory.get();
      ImageShape s = train.shape();
      copy.initialize(scratch, DataType.FLOAT32, new Shape(1, s.channels(), s.height(), s.width()));
      for (int k = 0; k < trained.checkpoints().size(); k++) {
        trained.load(k, copy);
        Path at =
            Files.createDirectories(
                dir.resolve("checkpoints").resolve(name(trained.checkpoints().get(k).step())));
        Export.parameters(at.resolve("parameters.npz"), copy);
      }
    }
  }

  /** A set's images as the engine reads them, ids {@code offset, offset + 1, ...}. */
  private static Examples examples(
      NDManager manager, String name, LabelledImages images, long offset) {
    int[] rows = new int[images.size()];
    long[] ids = new long[images.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
      ids[i] = offset + i; // test ids past the training ids: disjoint, never a self-pair
    }
    return Examples.of(
        name,
        new NDList(ImageData.inputs(manager, images, rows)),
        manager.create(images.labels()),
        ids);
  }

  /** The model with its seeded initial weights, drawn on the CPU, on the experiment's device. */
  private Block fresh(NDManager manager) throws IOException {
    ImageShape s = shape;
    Shape input = new Shape(1, s.channels(), s.height(), s.width());
    manager.getEngine().setRandomSeed((int) config.seed());
    byte[] initial;
    try (NDManager scratch = manager.newSubManager(Device.cpu())) {
      Block model = modelFactory.get();
      model.initialize(scratch, DataType.FLOAT32, input);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        model.saveParameters(out);
      }
      initial = bytes.toByteArray();
    }
    Block model = modelFactory.get();
    model.initialize(manager, DataType.FLOAT32, input);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(initial))) {
      model.loadParameters(manager, in);
    } catch (MalformedModelException e) {
      throw new IllegalStateException("the model factory made a different architecture", e);
    }
    return model;
  }
}
