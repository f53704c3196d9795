package org.stiffness.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.experiments.ExperimentListener;
import org.stiffness.experiments.LearningRateSweep;
import org.stiffness.experiments.Training;
import org.stiffness.vision.models.PaperModels;

class TrainingTest {
  private static TrainTestSplit digits;

  @BeforeAll
  static void load() {
    digits = Digits.paperSplit();
  }

  private static Block fc(NDManager manager, int seed) {
    manager.getEngine().setRandomSeed(seed);
    Block model = PaperModels.fullyConnected(10);
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
    return model;
  }

  @Test
  void adamLowersTheTrainingLossAndBeatsChance() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      Block model = fc(manager, 0);
      Training.Evaluation before = Training.evaluate(model, ImageData.of(digits.train()));
      Training.train(
          model,
          ImageData.of(digits.train()),
          Training.Config.adam(1e-3),
          150,
          new long[0],
          (s, e) -> {});
      Training.Evaluation after = Training.evaluate(model, ImageData.of(digits.train()));
      Training.Evaluation val = Training.evaluate(model, ImageData.of(digits.test()));
      assertTrue(after.loss() < 0.5 * before.loss(), before + " -> " + after);
      // Chance is 0.1 on ten balanced classes.
      assertTrue(after.accuracy() > 0.8, "train " + after);
      assertTrue(val.accuracy() > 0.7, "val " + val);
    }
  }

  @Test
  void sgdLowersTheTrainingLoss() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      Block model = fc(manager, 0);
      Training.Evaluation before = Training.evaluate(model, ImageData.of(digits.train()));
      Training.Config sgd = Training.Config.adam(0.1).withOptimizer(Training.OptimizerKind.SGD);
      Training.train(model, ImageData.of(digits.train()), sgd, 200, new long[0], (s, e) -> {});
      assertTrue(Training.evaluate(model, ImageData.of(digits.train())).loss() < before.loss());
    }
  }

  @Test
  void callbacksComeAtTheRequestedStepsWithTheirEpoch() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      Block model = fc(manager, 0);
      List<Long> steps = new ArrayList<>();
      List<Double> epochs = new ArrayList<>();
      Training.train(
          model,
          ImageData.of(digits.train()),
          Training.Config.adam(1e-3),
          82,
          new long[] {0, 41, 82},
          (s, e) -> {
            steps.add(s);
            epochs.add(e);
          });
      assertEquals(List.of(0L, 41L, 82L), steps);
      // 1297 examples in batches of 32: ceil(1297 / 32) = 41 steps per epoch.
      assertEquals(List.of(0.0, 1.0, 2.0), epochs);
    }
  }

  @Test
  void theSameSeedGivesTheSameBatchLosses() throws IOException {
    float[][] losses = new float[2][];
    for (int r = 0; r < 2; r++) {
      try (NDManager manager = NDManager.newBaseManager()) {
        Block model = fc(manager, 3);
        losses[r] =
            Training.train(
                    model,
                    ImageData.of(digits.train()),
                    Training.Config.adam(1e-3).withSeed(7),
                    20,
                    new long[0],
                    (s, e) -> {})
                .batchLosses();
      }
    }
    assertArrayEquals(losses[0], losses[1]);
  }

  @Test
  void evaluationOfAnUntrainedNetIsNearUniform() {
    // Small random logits give a loss near ln(10) = 2.303 and accuracy near chance.
    try (NDManager manager = NDManager.newBaseManager()) {
      Training.Evaluation e = Training.evaluate(fc(manager, 0), ImageData.of(digits.test()));
      assertEquals(Math.log(10), e.loss(), 0.3);
      assertTrue(e.accuracy() < 0.4, e.toString());
    }
  }

  @Test
  void aDivergingRunStopsWithTheStepAndTheSweepGoesOn() throws IOException {
    // SGD at 1e8 blows the weights up within a few steps: the loss overflows to inf or NaN.
    Training.Config absurd = Training.Config.adam(1e8).withOptimizer(Training.OptimizerKind.SGD);
    List<Float> seen = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      Block model = fc(manager, 0);
      Training.DivergedException e =
          Assertions.assertThrows(
              Training.DivergedException.class,
              () ->
                  Training.train(
                      model,
                      ImageData.of(digits.train()),
                      absurd,
                      100,
                      new long[0],
                      (s, ep) -> {},
                      (s, loss) -> seen.add(loss)));
      // Every step before the reported one had a finite loss and was reported as a step.
      assertEquals(seen.size(), e.step() - 1, e.getMessage());
      seen.forEach(l -> assertTrue(Float.isFinite(l), "finite before divergence: " + seen));
      assertTrue(e.getMessage().contains("learning rate 1.0E8"), e.getMessage());
    }

    // In a sweep the diverged run keeps its earlier checkpoints and the next run still happens.
    List<Double> lrs = List.of(1e8, 0.1);
    List<String> events = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      var plan = new LearningRateSweep.Plan(lrs, absurd, 20, 40, new long[] {0, 20});
      var runs =
          LearningRateSweep.run(
              plan,
              m -> fc(m, 0),
              manager,
              ImageData.of(digits.train()),
              ImageData.of(digits.test()),
              (model, at) -> Map.of(),
              new ExperimentListener() {
                @Override
                public void runDiverged(double lr, Training.DivergedException ex) {
                  events.add("diverged " + lr);
                }

                @Override
                public void runFinished(double lr) {
                  events.add("finished " + lr);
                }
              });
      assertEquals(List.of("diverged 1.0E8", "finished 1.0E8", "finished 0.1"), events);
      assertTrue(runs.get(0).divergedAtStep() != null && runs.get(0).divergedAtStep() <= 20);
      assertEquals(null, runs.get(1).divergedAtStep());
    }
  }
}
