package org.stiffness.experiments;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import org.stiffness.gradients.SoftmaxCrossEntropy;

/**
 * Minibatch training of a DJL classifier at a constant learning rate, as in the paper: Adam (or
 * SGD), batch 32 by default, softmax cross-entropy averaged over the batch.
 *
 * <p>A hand-written loop rather than DJL's {@code Trainer}: the Trainer re-initialises the block,
 * which would break "every learning rate starts from the same weights", and the loop is where the
 * measurement callbacks go. The per-example loss is the engine's {@link SoftmaxCrossEntropy}, so
 * the loss that is trained is the loss whose gradients are measured.
 *
 * <p>Shuffling: one {@code new Random(seed)} per run draws a Fisher-Yates permutation of the
 * training set at the start of every epoch; an epoch is {@code ceil(N / batch)} steps, the last
 * batch of an epoch holds the remainder. Two runs with the same seed see the same batches in the
 * same order, whatever their learning rate.
 */
public final class Training {
  private static final SoftmaxCrossEntropy LOSS = new SoftmaxCrossEntropy();

  /**
   * The training loss: its labels are checked on the host, before they are copied to the device.
   */
  private static final SoftmaxCrossEntropy TRAINING_LOSS = SoftmaxCrossEntropy.ofCheckedLabels();

  private Training() {}

  /** The optimiser family. */
  public enum OptimizerKind {
    /** Adam with DJL's default betas and epsilon. */
    ADAM,
    /** Plain stochastic gradient descent, no momentum. */
    SGD
  }

  /**
   * @param optimizer Adam or plain SGD
   * @param learningRate constant learning rate, positive and finite
   * @param batchSize examples per optimiser step
   * @param seed seed of the shuffling
   */
  public record Config(OptimizerKind optimizer, double learningRate, int batchSize, long seed) {
    /**
     * @throws IllegalArgumentException for a learning rate that is not positive and finite, or a
     *     batch below 1
     */
    public Config {
      Objects.requireNonNull(optimizer, "optimizer");
      if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
        throw new IllegalArgumentException(
            "the learning rate must be positive and finite, got " + learningRate);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
      }
    }

    /** Adam at the given learning rate, batch 32, seed 0. */
    public static Config adam(double learningRate) {
      return new Config(OptimizerKind.ADAM, learningRate, 32, 0);
    }

    /** This configuration with {@code b} examples per batch. */
    public Config withBatchSize(int b) {
      return new Config(optimizer, learningRate, b, seed);
    }

    /** This configuration shuffling with seed {@code s}. */
    public Config withSeed(long s) {
      return new Config(optimizer, learningRate, batchSize, s);
    }

    /** This configuration with another optimiser. */
    public Config withOptimizer(OptimizerKind o) {
      return new Config(o, learningRate, batchSize, seed);
    }

    ResumableOptimizer build() {
      return switch (optimizer) {
        case ADAM -> new ResumableAdam(learningRate);
        case SGD -> new ResumableSgd(learningRate);
      };
    }
  }

  /** Called after {@code step} optimiser steps (step 0: before the first). */
  @FunctionalInterface
  public interface StepCallback {
    /**
     * @param step optimiser steps taken so far
     * @param epoch {@code step / stepsPerEpoch}
     * @throws IOException when the callback fails to write its output; training stops
     */
    void at(long step, double epoch) throws IOException;
  }

  /**
   * Mean loss and accuracy on a dataset.
   *
   * @param loss mean per-example softmax cross-entropy (nats)
   * @param accuracy fraction of examples whose arg-max logit is the label, in [0, 1]
   */
  public record Evaluation(double loss, double accuracy) {}

  /**
   * The losses of a run.
   *
   * @param steps optimiser steps taken
   * @param batchLosses the mean batch loss of every step, in order
   */
  public record Result(long steps, float[] batchLosses) {}

  /**
   * The batch loss stopped being a finite number: the run diverged (typically a learning rate too
   * high for the model), and no later measurement would mean anything.
   */
  public static final class DivergedException extends IllegalStateException {
    /** The 1-based optimiser step whose batch loss was not finite. */
    private final long step;

    DivergedException(long step, double learningRate, float loss) {
      super(
          "training diverged: batch loss "
              + loss
              + " at step "
              + step
              + " (learning rate "
              + learningRate
              + "); try a smaller learning rate");
      this.step = step;
    }

    /** The step (counted from 1) whose batch loss was not finite. */
    public long step() {
      return step;
    }
  }

  /**
   * The most optimiser steps one run takes: the loss of every step is kept in one float array, and
   * a Java array holds at most this many elements.
   */
  public static final long MAX_STEPS = Integer.MAX_VALUE - 8;

  /** Optimiser steps per epoch: {@code ceil(n / batchSize)}. */
  public static long stepsPerEpoch(int n, int batchSize) {
    return (n + (long) batchSize - 1) / batchSize;
  }

  /**
   * Trains {@code model} in place on any labelled data (images, tokenised text).
   *
   * @param model an initialised classifier, logits {@code (B, classes)}; its parameters are updated
   * @param train training data; each batch is fed as {@link TrainingData#inputs}
   * @param config optimiser, learning rate, batch size, shuffling seed
   * @param totalSteps optimiser steps to take
   * @param callbackSteps ascending steps in {@code [0, totalSteps]} at which to call {@code
   *     callback}
   * @param callback e.g. a stiffness measurement of the frozen model
   * @throws IOException from the callback
   * @throws DivergedException when a batch loss is NaN or infinite, naming the first such step;
   *     losses are read back from the device 32 steps at a time (and before each callback), so the
   *     model keeps the parameters of a step up to 31 steps later, which are not meaningful
   */
  public static Result train(
      Block model,
      TrainingData train,
      Config config,
      long totalSteps,
      long[] callbackSteps,
      StepCallback callback)
      throws IOException {
    return train(model, train, config, totalSteps, callbackSteps, callback, (s, l) -> {});
  }

  /** Told after every optimiser step, e.g. to advance a progress bar. */
  @FunctionalInterface
  public interface StepListener {
    /**
     * @param step optimiser steps taken so far (1 after the first)
     * @param batchLoss the mean loss of the batch just trained on
     */
    void stepped(long step, float batchLoss);
  }

  /**
   * As {@link #train(Block, TrainingData, Config, long, long[], StepCallback)}, telling {@code
   * listener} after every step.
   */
  public static Result train(
      Block model,
      TrainingData train,
      Config config,
      long totalSteps,
      long[] callbackSteps,
      StepCallback callback,
      StepListener listener)
      throws IOException {
    return train(model, train, config, totalSteps, callbackSteps, callback, listener, null, null);
  }

  /** Receives the training state after the callbacks of each callback step. */
  @FunctionalInterface
  interface StateSink {
    /**
     * @throws IOException when the state cannot be saved; training stops
     */
    void save(TrainingState state) throws IOException;
  }

  /**
   * As {@link #train(Block, TrainingData, Config, long, long[], StepCallback, StepListener)},
   * continuing from {@code resumeFrom} (its step's callbacks already done) when not null, and
   * giving {@code sink} the state after the callbacks of every callback step when not null.
   *
   * @throws IOException when {@code resumeFrom} does not fit this model, data or step count
   */
  static Result train(
      Block model,
      TrainingData train,
      Config config,
      long totalSteps,
      long[] callbackSteps,
      StepCallback callback,
      StepListener listener,
      TrainingState resumeFrom,
      StateSink sink)
      throws IOException {
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(listener, "listener");
    if (totalSteps < 0 || totalSteps > MAX_STEPS) {
      throw new IllegalArgumentException(
          "totalSteps = " + totalSteps + ", expected 0.." + MAX_STEPS + " optimiser steps");
    }
    Device device = deviceOf(model);
    ResumableOptimizer optimizer = config.build();
    long perEpoch = stepsPerEpoch(train.size(), config.batchSize());
    float[] losses = new float[(int) totalSteps];
    int next = 0;
    long first = 0;
    Random random;
    int[] order;
    if (resumeFrom == null) {
      random = new Random(config.seed());
      order = identity(train.size());
    } else {
      first = resumeFrom.step();
      if (first > totalSteps
          || resumeFrom.order().length != train.size()
          || resumeFrom.losses().length != first) {
        throw new IOException(
            "the saved training state (step "
                + first
                + ", "
                + resumeFrom.order().length
                + " training examples) does not fit this run ("
                + totalSteps
                + " steps, "
                + train.size()
                + " examples)");
      }
      restore(model, optimizer, resumeFrom);
      random = resumeFrom.restoreRandom();
      order = resumeFrom.order().clone();
      System.arraycopy(resumeFrom.losses(), 0, losses, 0, (int) first);
      while (next < callbackSteps.length && callbackSteps[next] <= first) {
        next++; // measured before the state was saved
      }
    }
    for (Pair<String, Parameter> p : model.getParameters()) {
      if (p.getValue().requiresGradient()) {
        p.getValue().getArray().setRequiresGradient(true);
      }
    }
    try (NDManager manager = NDManager.newBaseManager(device);
        BatchLosses pending = new BatchLosses(manager)) {
      ParameterStore store = new ParameterStore(manager, false);
      BatchLosses.StepLosses read =
          (step, loss) -> {
            if (!Float.isFinite(loss)) {
              throw new DivergedException(step + 1, config.learningRate(), loss);
            }
            listener.stepped(step + 1, loss);
          };
      for (long step = first; ; step++) {
        boolean measured = false;
        if (next < callbackSteps.length && callbackSteps[next] == step) {
          // A measurement sees a model whose every step so far had a finite loss.
          pending.flush(losses, read);
        }
        while (next < callbackSteps.length && callbackSteps[next] == step) {
          callback.at(step, step / (double) perEpoch);
          next++;
          measured = true;
        }
        if (measured && sink != null) {
          // Before this step's batch is drawn: a resumed run draws it as this one would have.
          sink.save(snapshot(model, optimizer, step, random, order, losses));
        }
        if (step == totalSteps) {
          pending.flush(losses, read);
          break;
        }
        int batchInEpoch = (int) (step % perEpoch);
        if (batchInEpoch == 0) {
          shuffle(order, random);
        }
        int from = batchInEpoch * config.batchSize();
        int to = Math.min(from + config.batchSize(), train.size());
        pending.add(step, step(model, store, optimizer, manager, train, order, from, to));
        if (pending.full()) {
          pending.flush(losses, read);
        }
      }
    }
    if (next < callbackSteps.length) {
      throw new IllegalArgumentException(
          "callback step " + callbackSteps[next] + " is not in [0, " + totalSteps + "]");
    }
    return new Result(totalSteps, losses);
  }

  private static TrainingState snapshot(
      Block model,
      ResumableOptimizer optimizer,
      long step,
      Random random,
      int[] order,
      float[] losses)
      throws IOException {
    ByteArrayOutputStream parameters = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(parameters)) {
      model.saveParameters(out);
    }
    ByteArrayOutputStream state = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(state)) {
      optimizer.write(out);
    }
    return new TrainingState(
        step,
        parameters.toByteArray(),
        state.toByteArray(),
        TrainingState.serialise(random),
        order.clone(),
        Arrays.copyOf(losses, (int) step));
  }

  /** Loads the saved parameters and optimiser state, owned by the parameters' manager. */
  private static void restore(Block model, ResumableOptimizer optimizer, TrainingState state)
      throws IOException {
    NDManager owner = parametersManager(model);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state.parameters()))) {
      model.loadParameters(owner, in);
    } catch (MalformedModelException e) {
      throw new IOException("the saved parameters are not this model's: " + e.getMessage(), e);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state.optimizer()))) {
      optimizer.read(in, owner);
    }
  }

  /**
   * The manager of the model's parameters: saved parameters loaded into the model belong there, so
   * that they live as long as the model and on its device.
   *
   * @throws IllegalStateException when no parameter of the model is initialised
   */
  public static NDManager parametersManager(Block model) {
    for (Pair<String, Parameter> p : model.getParameters()) {
      if (p.getValue().isInitialized()) {
        return p.getValue().getArray().getManager();
      }
    }
    throw new IllegalStateException("the model has no initialised parameter: initialise it first");
  }

  /** One optimiser step; returns the batch's mean loss, 0-d, still on the device. */
  private static NDArray step(
      Block model,
      ParameterStore store,
      ResumableOptimizer optimizer,
      NDManager parent,
      TrainingData train,
      int[] order,
      int from,
      int to) {
    try (NDManager manager = parent.newSubManager()) {
      int[] rows = Arrays.copyOfRange(order, from, to);
      NDList x = train.inputs(manager, rows);
      int[] labels = labels(train, rows);
      NDArray y = manager.create(labels);
      NDArray loss;
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray logits = model.forward(store, x, true).singletonOrThrow();
        if (logits.getShape().dimension() == 2) {
          SoftmaxCrossEntropy.requireClassLabels(labels, logits.getShape().get(1));
        }
        loss = TRAINING_LOSS.perExample(new NDList(logits), y).mean();
        collector.backward(loss);
      }
      // Outlives the step's arrays: read back with other steps' losses (BatchLosses).
      loss.attach(parent);
      for (Pair<String, Parameter> p : model.getParameters()) {
        Parameter parameter = p.getValue();
        if (!parameter.requiresGradient()) {
          continue;
        }
        NDArray weight = parameter.getArray();
        NDArray gradient = weight.getGradient();
        // A fresh handle on the gradient each step: owned by the step, not by the model's manager,
        // where it would pile up (the gradient storage itself belongs to the weight).
        gradient.attach(manager);
        // Keyed by the parameter's name, not its id: ids are drawn anew for every model instance,
        // so a resumed run's optimiser state would not find its parameters.
        optimizer.update(p.getKey(), weight, gradient);
        // DJL gradients accumulate across backward passes; the next batch must start from zero.
        gradient.subi(gradient);
      }
      return loss;
    }
  }

  /** Mean loss and accuracy of {@code model} on any labelled data, in inference mode. */
  public static Evaluation evaluate(Block model, TrainingData data) {
    Device device = deviceOf(model);
    double lossSum = 0;
    long correct = 0;
    try (NDManager manager = NDManager.newBaseManager(device)) {
      ParameterStore store = new ParameterStore(manager, false);
      int batchSize = data.evaluationBatch();
      for (int from = 0; from < data.size(); from += batchSize) {
        int to = Math.min(from + batchSize, data.size());
        try (NDManager batch = manager.newSubManager()) {
          int[] rows = identity(to - from);
          for (int k = 0; k < rows.length; k++) {
            rows[k] += from;
          }
          int[] y = labels(data, rows);
          NDArray logits = model.forward(store, data.inputs(batch, rows), false).singletonOrThrow();
          float[] perExample =
              LOSS.perExample(new NDList(logits), batch.create(y))
                  .toType(DataType.FLOAT32, false)
                  .toFloatArray();
          for (float l : perExample) {
            lossSum += l;
          }
          long[] predicted = logits.argMax(1).toType(DataType.INT64, false).toLongArray();
          for (int k = 0; k < y.length; k++) {
            if (predicted[k] == y[k]) {
              correct++;
            }
          }
        }
      }
    }
    return new Evaluation(lossSum / data.size(), correct / (double) data.size());
  }

  /**
   * The loss of {@code model} on every example of {@code data}, in inference mode: softmax
   * cross-entropy in nats, (N) in the data's order. What flags a mislabelled example by its loss
   * alone.
   */
  public static float[] perExampleLosses(Block model, TrainingData data) {
    float[] out = new float[data.size()];
    try (NDManager manager = NDManager.newBaseManager(deviceOf(model))) {
      ParameterStore store = new ParameterStore(manager, false);
      int batchSize = data.evaluationBatch();
      for (int from = 0; from < data.size(); from += batchSize) {
        int to = Math.min(from + batchSize, data.size());
        try (NDManager batch = manager.newSubManager()) {
          int[] rows = identity(to - from);
          for (int k = 0; k < rows.length; k++) {
            rows[k] += from;
          }
          NDArray logits = model.forward(store, data.inputs(batch, rows), false).singletonOrThrow();
          float[] losses =
              LOSS.perExample(new NDList(logits), batch.create(labels(data, rows)))
                  .toType(DataType.FLOAT32, false)
                  .toFloatArray();
          System.arraycopy(losses, 0, out, from, losses.length);
        }
      }
    }
    return out;
  }

  static int[] labels(TrainingData data, int[] rows) {
    int[] out = new int[rows.length];
    for (int k = 0; k < rows.length; k++) {
      out[k] = data.label(rows[k]);
    }
    return out;
  }

  static Device deviceOf(Block model) {
    for (Pair<String, Parameter> p : model.getParameters()) {
      if (p.getValue().isInitialized()) {
        return p.getValue().getArray().getDevice();
      }
    }
    throw new IllegalStateException("the model has no initialised parameter: initialise it first");
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    Arrays.setAll(a, i -> i);
    return a;
  }

  /** Fisher-Yates, continuing the run's random stream (the same rule as BalancedSubset). */
  private static void shuffle(int[] a, Random random) {
    for (int j = a.length - 1; j > 0; j--) {
      int i = random.nextInt(j + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
