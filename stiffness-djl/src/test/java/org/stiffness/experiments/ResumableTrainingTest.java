package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * A run continued from a saved {@link TrainingState} takes exactly the steps of an uninterrupted
 * one: the oracle is the uninterrupted run itself, compared bit for bit, and DJL's own Adam for
 * {@link ResumableAdam}.
 */
class ResumableTrainingTest {
  private static final int N = 23;
  private static final int FEATURES = 5;
  private static final int CLASSES = 3;

  /** 23 random points in 3 classes: batches of 4 leave a remainder, so epochs matter. */
  private static final class Points implements TrainingData {
    private final float[][] x = new float[N][FEATURES];
    private final int[] y = new int[N];

    Points() {
      Random r = new Random(7);
      for (int i = 0; i < N; i++) {
        for (int j = 0; j < FEATURES; j++) {
          x[i][j] = (float) r.nextGaussian();
        }
        y[i] = i % CLASSES;
      }
    }

    @Override
    public int size() {
      return N;
    }

    @Override
    public int label(int row) {
      return y[row];
    }

    @Override
    public NDList inputs(NDManager manager, int[] rows) {
      float[][] batch = new float[rows.length][];
      for (int k = 0; k < rows.length; k++) {
        batch[k] = x[rows[k]];
      }
      return new NDList(manager.create(batch));
    }
  }

  private static Block model(NDManager manager, int seed) {
    manager.getEngine().setRandomSeed(seed);
    SequentialBlock b =
        new SequentialBlock()
            .add(Linear.builder().setUnits(8).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(CLASSES).build());
    b.initialize(manager, DataType.FLOAT32, new Shape(1, FEATURES));
    return b;
  }

  private static List<float[]> parameters(Block model) {
    List<float[]> out = new ArrayList<>();
    for (Pair<String, Parameter> p : model.getParameters()) {
      out.add(p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  private static void assertSameParameters(List<float[]> expected, List<float[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int k = 0; k < expected.size(); k++) {
      assertArrayEquals(expected.get(k), actual.get(k), "parameter " + k);
    }
  }

  @Test
  void resumableAdamStepsExactlyAsDjlsAdam() {
    float lr = 0.01f;
    try (NDManager manager = NDManager.newBaseManager()) {
      Block ours = model(manager, 3);
      Block theirs = model(manager, 3);
      ResumableAdam adam = new ResumableAdam(lr);
      Optimizer djl = Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build();
      Points data = new Points();
      for (int step = 0; step < 6; step++) {
        int[] rows = {step, step + 1, step + 2, step + 3};
        gradientStep(ours, data, rows, (name, p, w, g) -> adam.update(name, w, g));
        gradientStep(theirs, data, rows, (name, p, w, g) -> djl.update(p.getId(), w, g));
      }
      assertSameParameters(parameters(theirs), parameters(ours));
    }
  }

  private interface Update {
    void apply(String name, Parameter p, NDArray weight, NDArray gradient);
  }

  private static void gradientStep(Block model, TrainingData data, int[] rows, Update update) {
    for (Pair<String, Parameter> p : model.getParameters()) {
      p.getValue().getArray().setRequiresGradient(true);
    }
    try (NDManager step = NDManager.newBaseManager()) {
      ParameterStore store = new ParameterStore(step, false);
      try (var collector = step.getEngine().newGradientCollector()) {
        NDArray logits = model.forward(store, data.inputs(step, rows), true).singletonOrThrow();
        int[] labels = Training.labels(data, rows);
        NDArray y = step.create(labels).toType(DataType.INT64, false).expandDims(1);
        NDArray l = logits.logSoftmax(1).gather(y, 1).neg().mean();
        collector.backward(l);
      }
      for (Pair<String, Parameter> p : model.getParameters()) {
        NDArray w = p.getValue().getArray();
        NDArray g = w.getGradient();
        g.attach(step);
        update.apply(p.getKey(), p.getValue(), w, g);
        g.subi(g);
      }
    }
  }

  private record Outcome(List<float[]> parameters, float[] losses, List<TrainingState> saved) {}

  private static Outcome train(
      Training.OptimizerKind kind, long[] measured, TrainingState from, int stopAfterSaves)
      throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      Block model = model(manager, 11);
      List<TrainingState> saved = new ArrayList<>();
      Training.Config config = new Training.Config(kind, 0.05, 4, 5);
      try {
        Training.Result r =
            Training.train(
                model,
                new Points(),
                config,
                17,
                measured,
                (step, epoch) -> {},
                (step, loss) -> {},
                from,
                state -> {
                  saved.add(state);
                  if (saved.size() == stopAfterSaves) {
                    throw new Interrupted();
                  }
                });
        return new Outcome(parameters(model), r.batchLosses(), saved);
      } catch (Interrupted e) {
        return new Outcome(parameters(model), null, saved);
      }
    }
  }

  private static final class Interrupted extends RuntimeException {}

  @Test
  void adamRunResumedFromAMidwayStateEndsBitwiseAsTheUninterruptedRun() throws IOException {
    resumesExactly(Training.OptimizerKind.ADAM);
  }

  @Test
  void sgdRunResumedFromAMidwayStateEndsBitwiseAsTheUninterruptedRun() throws IOException {
    resumesExactly(Training.OptimizerKind.SGD);
  }

  private static void resumesExactly(Training.OptimizerKind kind) throws IOException {
    long[] measured = {0, 3, 6, 11, 17}; // 6 steps per epoch: 6 is an epoch boundary, 11 is not
    Outcome whole = train(kind, measured, null, -1);
    for (int k = 2; k <= 4; k++) {
      Outcome cut = train(kind, measured, null, k);
      TrainingState state = roundTrip(cut.saved().get(k - 1));
      assertEquals(measured[k - 1], state.step());
      Outcome rest = train(kind, measured, state, -1);
      assertSameParameters(whole.parameters(), rest.parameters());
      assertArrayEquals(whole.losses(), rest.losses(), "losses resumed at checkpoint " + k);
    }
  }

  /** Through the bytes a journal holds, so that what is tested is what a rerun reads. */
  private static TrainingState roundTrip(TrainingState s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      s.write(out);
    }
    return TrainingState.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }

  @Test
  void aStateOfAnotherTrainingSetIsRefused() throws IOException {
    Outcome cut = train(Training.OptimizerKind.ADAM, new long[] {0, 3}, null, 2);
    TrainingState s = cut.saved().get(1);
    TrainingState other =
        new TrainingState(
            s.step(), s.parameters(), s.optimizer(), s.random(), new int[N + 1], s.losses());
    IOException e =
        assertThrows(
            IOException.class,
            () -> train(Training.OptimizerKind.ADAM, new long[] {0, 3}, other, -1));
    assertEquals(true, e.getMessage().contains("does not fit this run"), e.getMessage());
  }

  @Test
  void journalGivesBackRunsCheckpointsAndStateExactly(@TempDir Path dir) throws IOException {
    Outcome cut = train(Training.OptimizerKind.ADAM, new long[] {0, 3}, null, 2);
    TrainingState s = cut.saved().get(1);
    // Values a text round trip could bend: a NaN, a subnormal, the shortest repr of 0.1 + 0.2.
    Checkpoint c1 = new Checkpoint(0L, 0.0, Double.NaN, 0.1 + 0.2, 4.9e-324, 1.0 / 3, Map.of());
    Checkpoint c2 = new Checkpoint(3L, 0.5, 2.5, 0.25, Math.PI, Math.E, Map.of());
    Run done = new Run(1e-3, List.of(c1), 7L);
    SweepJournal journal = new SweepJournal(dir.resolve("journal"));
    journal.write(
        new SweepJournal.Saved(List.of(1e-3, 1e-2, 0.1), 17, List.of(done), 1, List.of(c2), s));
    SweepJournal.Saved back = journal.read().orElseThrow();
    assertEquals(List.of(done).toString(), back.done().toString());
    assertEquals(
        Double.doubleToRawLongBits(1.0 / 3),
        Double.doubleToRawLongBits(back.done().get(0).checkpoints().get(0).valAcc()));
    assertEquals(List.of(c2), back.checkpoints());
    assertEquals(1, back.currentRun());
    assertEquals(List.of(1e-3, 1e-2, 0.1), back.learningRates());
    assertEquals(17, back.totalSteps());
    assertArrayEquals(s.parameters(), back.state().parameters());
    assertArrayEquals(s.optimizer(), back.state().optimizer());
    assertArrayEquals(s.order(), back.state().order());
    assertEquals("run 2 of 3 at step 3, 2 checkpoints measured", journal.describe(3).orElseThrow());
  }

  private static List<Run> sweep(SweepJournal journal, int interruptAtMeasurement)
      throws IOException {
    LearningRateSweep.Plan plan =
        LearningRateSweep.Plan.of(
            List.of(0.01, 0.05),
            Training.OptimizerKind.ADAM,
            4,
            5,
            3.0,
            N,
            MeasurementSchedule.explicit(new long[] {0, 4, 9, 18}));
    int[] measured = {0};
    try (NDManager manager = NDManager.newBaseManager()) {
      return LearningRateSweep.run(
          plan,
          m -> model(m, 11),
          manager,
          new Points(),
          new Points(),
          (model, at) -> {
            if (++measured[0] == interruptAtMeasurement) {
              throw new Interrupted();
            }
            return Map.of();
          },
          new ExperimentListener() {},
          journal);
    }
  }

  @Test
  void sweepInterruptedAtAnyCheckpointAndRerunGivesTheUninterruptedRuns(@TempDir Path dir)
      throws IOException {
    String whole = sweep(null, -1).toString();
    for (int k = 2; k <= 8; k += 3) {
      SweepJournal journal = new SweepJournal(dir.resolve("journal-" + k));
      int at = k;
      assertThrows(Interrupted.class, () -> sweep(journal, at));
      assertEquals(whole, sweep(journal, -1).toString(), "interrupted at measurement " + k);
    }
  }

  @Test
  void sweepRefusesTheJournalOfAnotherSweep(@TempDir Path dir) throws IOException {
    SweepJournal journal = new SweepJournal(dir.resolve("journal"));
    Outcome cut = train(Training.OptimizerKind.ADAM, new long[] {0, 3}, null, 2);
    journal.write(
        new SweepJournal.Saved(
            List.of(0.01, 0.07), 18, List.of(), 0, List.of(), cut.saved().get(1)));
    IOException e = assertThrows(IOException.class, () -> sweep(journal, -1));
    assertTrue(e.getMessage().contains("holds the state of another sweep"), e.getMessage());
  }
}
