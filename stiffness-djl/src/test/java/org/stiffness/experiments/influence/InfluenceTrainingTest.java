package org.stiffness.experiments.influence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stiffness.experiments.Training;
import org.stiffness.experiments.TrainingData;

/**
 * The checkpoints kept are the model of a run stopped at their steps, compared bit for bit with
 * such a run; the per-example losses are checked against a float64 softmax cross-entropy of the
 * model's own logits.
 */
class InfluenceTrainingTest {
  private static final int N = 23;
  private static final int FEATURES = 5;
  private static final int CLASSES = 3;

  private static final class Points implements TrainingData {
    private final float[][] x = new float[N][FEATURES];
    private final int[] y = new int[N];

    Points(long seed) {
      Random r = new Random(seed);
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

  private static Block model(NDManager manager) {
    manager.getEngine().setRandomSeed(3);
    Block b =
        new SequentialBlock()
            .add(Linear.builder().setUnits(8).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(CLASSES).build());
    b.initialize(manager, DataType.FLOAT32, new Shape(1, FEATURES));
    return b;
  }

  private static List<float[]> parameters(Block model) {
    List<float[]> out = new ArrayList<>();
    model.getParameters().forEach(p -> out.add(p.getValue().getArray().toFloatArray()));
    return out;
  }

  @Test
  void eachCheckpointIsTheModelOfARunStoppedAtItsStep() throws IOException {
    Points train = new Points(1);
    Points test = new Points(2);
    Training.Config config = new Training.Config(Training.OptimizerKind.SGD, 0.1, 4, 5);
    List<InfluenceCheckpoints.Checkpoint> checkpoints =
        InfluenceCheckpoints.evenlySpaced(17, 3, 0.1); // steps 6, 11, 17
    InfluenceTraining.Trained trained;
    try (NDManager manager = NDManager.newBaseManager()) {
      trained =
          InfluenceTraining.train(
              model(manager), train, test, config, 17, checkpoints, (s, l) -> {});
    }
    assertEquals(3, trained.parameters().size());
    assertEquals(3, trained.evaluations().size());
    assertEquals(17, trained.batchLosses().length);
    for (int k = 0; k < 3; k++) {
      long step = checkpoints.get(k).step();
      try (NDManager manager = NDManager.newBaseManager()) {
        Block stopped = model(manager);
        Training.train(stopped, train, config, step, new long[0], (s, e) -> {});
        Block kept = model(manager);
        trained.load(k, kept);
        List<float[]> expected = parameters(stopped);
        List<float[]> actual = parameters(kept);
        for (int p = 0; p < expected.size(); p++) {
          assertArrayEquals(expected.get(p), actual.get(p), "checkpoint " + k + " parameter " + p);
        }
        Training.Evaluation onTest = Training.evaluate(stopped, test);
        assertEquals(onTest.loss(), trained.evaluations().get(k).test().loss(), 0);
        assertEquals(onTest.accuracy(), trained.evaluations().get(k).test().accuracy(), 0);
      }
    }
  }

  @Test
  void perExampleLossesAreSoftmaxCrossEntropyOfTheLogits() {
    Points data = new Points(4);
    try (NDManager manager = NDManager.newBaseManager()) {
      Block model = model(manager);
      float[] losses = Training.perExampleLosses(model, data);
      assertEquals(N, losses.length);
      float[][] logits = new float[N][]; // the model's own float32 logits, then the loss in float64
      int[] rows = new int[N];
      for (int i = 0; i < N; i++) {
        rows[i] = i;
      }
      float[] flat =
          model
              .forward(new ParameterStore(manager, false), data.inputs(manager, rows), false)
              .singletonOrThrow()
              .toFloatArray();
      double mean = 0;
      for (int i = 0; i < N; i++) {
        logits[i] = Arrays.copyOfRange(flat, i * CLASSES, (i + 1) * CLASSES);
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits[i]) {
          max = Math.max(max, z);
        }
        double sum = 0;
        for (float z : logits[i]) {
          sum += Math.exp(z - max);
        }
        double expected = max + Math.log(sum) - logits[i][data.label(i)];
        assertEquals(expected, losses[i], 1e-5, "example " + i);
        mean += losses[i];
      }
      assertEquals(Training.evaluate(model, data).loss(), mean / N, 1e-6);
    }
  }
}
