package org.stiffness.experiments;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.stiffness.io.JsonSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * The paper's protocol shared by the vision and the text experiments: one training run per learning
 * rate, every run from the same initial weights and the same batch order, with loss, accuracy and
 * stiffness measured at the scheduled steps.
 *
 * <p>Reproducibility: the engine's random seed is set to {@code seed} before the model is made
 * once; its parameters are serialised and every run loads exactly them, and shuffles with the same
 * seed, so runs differ only in their learning rate.
 */
public final class LearningRateSweep {

  /** Makes a fresh model with initialised parameters (pretrained weights loaded, if any). */
  @FunctionalInterface
  public interface ModelFactory {
    /**
     * @param manager owns the parameters
     * @throws IOException when pretrained weights cannot be read
     */
    Block create(NDManager manager) throws IOException;
  }

  /** Measures the frozen model at a checkpoint, e.g. {@code StiffnessMeasurement::measure}. */
  @FunctionalInterface
  public interface CheckpointMeasure {
    /**
     * @param model the model at this checkpoint, not to be modified
     * @param at the run's learning rate, the step, and where this checkpoint's files go (relative
     *     to the experiment directory)
     * @return pairing summaries keyed by pairing
     */
    Map<String, PairingSummary> measure(Block model, CheckpointId at) throws IOException;
  }

  /**
   * @param learningRates one run per learning rate, in this order
   * @param training optimiser, batch size and shuffling seed (its learning rate is replaced by each
   *     run's)
   * @param totalSteps optimiser steps of each run
   * @param stepsPerEpoch {@code ceil(train size / batch size)}
   * @param steps measurement steps, ascending, in {@code [0, totalSteps]}
   */
  public record Plan(
      List<Double> learningRates,
      Training.Config training,
      long totalSteps,
      long stepsPerEpoch,
      long[] steps) {
    /** Keeps an unmodifiable copy of the learning rates. */
    public Plan {
      learningRates = List.copyOf(learningRates);
      Objects.requireNonNull(training, "training");
      Objects.requireNonNull(steps, "steps");
    }

    /**
     * The plan of {@code epochs} passes over {@code trainSize} examples: {@code round(epochs *
     * ceil(trainSize / batchSize))} steps, measured where {@code schedule} says.
     */
    public static Plan of(
        List<Double> learningRates,
        Training.OptimizerKind optimizer,
        int batchSize,
        long seed,
        double epochs,
        int trainSize,
        MeasurementSchedule schedule) {
      long perEpoch = Training.stepsPerEpoch(trainSize, batchSize);
      long totalSteps = Math.round(epochs * perEpoch);
      return new Plan(
          learningRates,
          new Training.Config(optimizer, learningRates.get(0), batchSize, seed),
          totalSteps,
          perEpoch,
          schedule.steps(totalSteps));
    }
  }

  private LearningRateSweep() {}

  /**
   * Runs every learning rate.
   *
   * @param plan learning rates, optimiser, steps
   * @param factory makes the model (called once, under the seeded engine)
   * @param manager owns everything the runs create (on the experiment's device)
   * @param train what is trained on, and evaluated for the train loss and accuracy
   * @param val evaluated for the val loss and accuracy
   * @param measurement the stiffness measurement of each checkpoint ({@code
   *     StiffnessMeasurement::measure})
   * @param listener progress
   * @return one run per learning rate, in order
   * @throws IOException when the model cannot be made or a measurement cannot be written
   */
  public static List<Run> run(
      Plan plan,
      ModelFactory factory,
      NDManager manager,
      TrainingData train,
      TrainingData val,
      CheckpointMeasure measurement,
      ExperimentListener listener)
      throws IOException {
    return run(plan, factory, manager, train, val, measurement, listener, null);
  }

  /**
   * As {@link #run(Plan, ModelFactory, NDManager, TrainingData, TrainingData, CheckpointMeasure,
   * ExperimentListener)}, saving the sweep's state to {@code journal} after every measured
   * checkpoint and every finished run, and continuing from what it holds: the finished runs are
   * taken as they are, the current one continues after its last measured checkpoint, and the result
   * is bitwise what an uninterrupted sweep gives.
   *
   * @param journal where the state is kept, or null for a sweep that cannot be resumed
   * @throws IOException also when the journal holds another sweep's state
   */
  public static List<Run> run(
      Plan plan,
      ModelFactory factory,
      NDManager manager,
      TrainingData train,
      TrainingData val,
      CheckpointMeasure measurement,
      ExperimentListener listener,
      SweepJournal journal)
      throws IOException {
    byte[] initial = initialWeights(factory, manager, plan.training().seed());
    long totalSteps = plan.totalSteps();
    SweepJournal.Saved saved = journal == null ? null : journal.read().orElse(null);
    List<Run> runs = new ArrayList<>();
    if (saved != null) {
      check(saved, plan, journal);
      runs.addAll(saved.done());
    }
    for (int r = runs.size(); r < plan.learningRates().size(); r++) {
      double lr = plan.learningRates().get(r);
      listener.runStarted(r, plan.learningRates().size(), lr, totalSteps);
      boolean resumed = saved != null && saved.state() != null && saved.currentRun() == r;
      List<Checkpoint> checkpoints =
          resumed ? new ArrayList<>(saved.checkpoints()) : new ArrayList<>();
      TrainingState from = resumed ? saved.state() : null;
      List<Run> done = List.copyOf(runs);
      int current = r;
      Training.StateSink sink =
          journal == null
              ? null
              : state ->
                  journal.write(
                      new SweepJournal.Saved(
                          plan.learningRates(), totalSteps, done, current, checkpoints, state));
      Long diverged = null;
      try (NDManager runManager = manager.newSubManager()) {
        Block model = factory.create(runManager);
        load(model, runManager, initial);
        Training.Config tc =
            new Training.Config(
                plan.training().optimizer(),
                lr,
                plan.training().batchSize(),
                plan.training().seed());
        Training.train(
            model,
            train,
            tc,
            totalSteps,
            plan.steps(),
            (step, epoch) -> {
              Training.Evaluation onTrain = Training.evaluate(model, train);
              Training.Evaluation onVal = Training.evaluate(model, val);
              String dir = matricesDirectory(lr, step, totalSteps);
              Checkpoint c =
                  new Checkpoint(
                      step,
                      step / (double) plan.stepsPerEpoch(),
                      onTrain.loss(),
                      onTrain.accuracy(),
                      onVal.loss(),
                      onVal.accuracy(),
                      measurement.measure(model, new CheckpointId(lr, step, dir)));
              checkpoints.add(c);
              listener.checkpointMeasured(lr, c);
            },
            (step, loss) -> listener.stepped(lr, step, totalSteps, loss),
            from,
            sink);
      } catch (Training.DivergedException e) {
        // One learning rate too high for the model must not cost the other runs of the sweep:
        // the run stops, keeps what it measured before, and says where it diverged.
        diverged = e.step();
        listener.runDiverged(lr, e);
      }
      runs.add(new Run(lr, checkpoints, diverged));
      if (journal != null) {
        journal.write(
            new SweepJournal.Saved(plan.learningRates(), totalSteps, runs, -1, List.of(), null));
      }
      listener.runFinished(lr);
    }
    return runs;
  }

  /** The journal must be of this plan: the same learning rates, the same steps. */
  private static void check(SweepJournal.Saved saved, Plan plan, SweepJournal journal)
      throws IOException {
    boolean fits =
        saved.learningRates().equals(plan.learningRates())
            && saved.totalSteps() == plan.totalSteps()
            && saved.done().size() <= plan.learningRates().size()
            && (saved.state() == null || saved.currentRun() == saved.done().size());
    if (!fits) {
      throw new IOException(
          journal.file()
              + " holds the state of another sweep (learning rates "
              + saved.learningRates()
              + ", "
              + saved.totalSteps()
              + " steps each; this one has "
              + plan.learningRates()
              + ", "
              + plan.totalSteps()
              + "): start it in a new directory");
    }
  }

  /**
   * Seeded initial weights, serialised so that every run starts from exactly them. Drawn on the CPU
   * whatever the experiment's device: a GPU's generator draws other numbers for the same seed, and
   * a run should not depend on where it is computed.
   */
  private static byte[] initialWeights(ModelFactory factory, NDManager manager, long seed)
      throws IOException {
    manager.getEngine().setRandomSeed((int) seed);
    try (NDManager scratch = manager.newSubManager(Device.cpu())) {
      Block model = factory.create(scratch);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        model.saveParameters(out);
      }
      return bytes.toByteArray();
    }
  }

  private static void load(Block model, NDManager manager, byte[] weights) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
      model.loadParameters(manager, in);
    } catch (MalformedModelException e) {
      throw new IllegalStateException("the model factory made a different architecture", e);
    }
  }

  /**
   * Records the sweep's settings in a summary's {@code config}: learning rates, optimiser, batch
   * size, epochs, seed, steps, schedule, device, the critical-length fit and the distance bins.
   */
  public static void describe(
      ObjectNode c,
      List<Double> learningRates,
      Training.OptimizerKind optimizer,
      int batchSize,
      double epochs,
      long seed,
      long stepsPerEpoch,
      long totalSteps,
      MeasurementSchedule schedule,
      long[] steps,
      Device device,
      MeasurementSettings measurement) {
    ArrayNode lrs = c.putArray("learning_rates");
    learningRates.forEach(lrs::add);
    c.put("optimizer", optimizer.name().toLowerCase(Locale.ROOT));
    c.put("batch_size", batchSize);
    c.put("epochs", epochs);
    c.put("seed", seed);
    c.put("steps_per_epoch", stepsPerEpoch);
    c.put("total_steps", totalSteps);
    c.put("schedule", schedule.toString());
    ArrayNode at = c.putArray("measurement_steps");
    for (long s : steps) {
      at.add(s);
    }
    c.put("device", device.toString());
    var gram = measurement.gram();
    c.put("precision", gram.precision().name().toLowerCase(Locale.ROOT));
    if (gram.memoryBudgetBytes() > 0) {
      c.put("memory_budget_bytes", gram.memoryBudgetBytes());
    } else {
      c.putNull("memory_budget_bytes"); // the default: half the free memory at measurement time
    }
    ObjectNode xi = c.putObject("critical_length");
    var cl = measurement.criticalLength();
    xi.put("measure", cl.measure().name().toLowerCase(Locale.ROOT));
    xi.put("window_lo", cl.windowLo());
    xi.put("window_hi", cl.windowHi());
    xi.put("resamples", cl.resamples());
    xi.put("confidence", cl.confidence());
    xi.put("seed", cl.seed());
    ArrayNode edges = c.putArray("distance_bin_edges");
    for (double e : measurement.bins().edges()) {
      edges.add(e);
    }
    if (measurement.classGroups() != null) {
      c.set(
          "class_groups",
          JsonSummary.mapper()
              .valueToTree(CheckpointDescription.ClassGroupsEntry.of(measurement.classGroups())));
    }
  }

  /**
   * {@code matrices/lr=0.01/step=000041}: a checkpoint's pair-matrix folder, its step zero-padded
   * to at least six digits (more when the run is longer) so that the folders sort by step.
   */
  static String matricesDirectory(double lr, long step, long totalSteps) {
    // ASCII digits whatever the default locale: an Arabic locale formats %d with its own digits.
    String width = "%0" + Math.max(6, Long.toString(totalSteps).length()) + "d";
    return "matrices/lr=" + lrLabel(lr) + "/step=" + String.format(Locale.ROOT, width, step);
  }

  /** {@code 0.001}, {@code 0.0001}: plain decimal, no exponent, for directory names. */
  public static String lrLabel(double lr) {
    return BigDecimal.valueOf(lr).stripTrailingZeros().toPlainString();
  }
}
