package org.stiffness.nlp.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.experiments.ExperimentListener;
import org.stiffness.experiments.MeasurementSchedule;
import org.stiffness.experiments.MeasurementSettings;
import org.stiffness.experiments.Training;
import org.stiffness.nlp.mnli.SyntheticNli;
import org.stiffness.nlp.model.BertClassifier;
import org.stiffness.nlp.model.BertConfig;
import org.stiffness.stats.DistanceBins;
import org.stiffness.summary.ExperimentSummary.Checkpoint;

/**
 * Soak test of the real text driver: a long run measures at many checkpoints, each with a fresh
 * engine, so anything a measurement leaves behind grows with the number of checkpoints until a
 * BERT-base run runs out of memory (3 arrays per parameter per checkpoint did, see commit
 * "Validation leaves nothing with the model or the inputs"). Counted through DJL's own record of
 * live arrays: every base manager is a child of the engine's system manager, and {@code
 * getManagedArrays} walks the sub-managers.
 */
class NliCheckpointsLeaveNoArraysTest {
  private static final int CHECKPOINTS = 50;

  @Test
  void fiftyCheckpointsOfATinyBertRunLeaveTheNumberOfLiveArraysFlat(@TempDir Path temp)
      throws IOException {
    // One full batch per epoch and one epoch per step: steps 0..49 are the 50 checkpoints.
    int trainPairs = 24;
    Path data = SyntheticNli.writeGlueDirectory(temp.resolve("mnli"), trainPairs, 3);
    NliExperiment.Config config =
        new NliExperiment.Config(
            List.of(1e-3),
            Training.OptimizerKind.ADAM,
            trainPairs,
            CHECKPOINTS - 1,
            0,
            0,
            6,
            16,
            0,
            MeasurementSchedule.logSpaced(CHECKPOINTS),
            Device.cpu(),
            MeasurementSettings.defaults()
                .withBins(DistanceBins.uniform(DistanceBins.DEFAULT_COUNT, 0, 1)));
    List<Integer> live = new ArrayList<>();
    ExperimentListener counting =
        new ExperimentListener() {
          @Override
          public void checkpointMeasured(double lr, Checkpoint checkpoint) {
            live.add(liveArrays());
          }
        };

    new NliExperiment(
            data,
            data.resolve("tokenizer.json"),
            NliExperiment.ModelChoice.fromScratch("tiny", BertConfig.tiny()),
            config)
        .run(temp.resolve("out"), null, counting);

    assertEquals(CHECKPOINTS, live.size(), "checkpoints measured");
    // Flat from the second checkpoint on: training keeps nothing in a manager but the optimiser's
    // state, which the first step creates (Adam's two moments per trainable parameter, kept where
    // a resumable run can save them) and every later step reuses; each step's gradient handles
    // belong to the step. Any other growth was left behind by a checkpoint or a step.
    assertEquals(
        2 * trainableParameters(),
        live.get(1) - live.get(0),
        "the first step adds Adam's moments: live arrays after each checkpoint: " + live);
    assertEquals(
        List.of(live.get(1)),
        live.subList(1, live.size()).stream().distinct().toList(),
        "live arrays after each checkpoint: " + live);
  }

  /** Trainable parameter arrays of the tiny BERT classifier the run trains. */
  private static long trainableParameters() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      BertClassifier model = new BertClassifier(BertConfig.tiny().withLabels(3));
      model.initialize(manager);
      return model.getParameters().values().stream().filter(Parameter::requiresGradient).count();
    }
  }

  /** Every array the process holds, in any manager. */
  private static int liveArrays() {
    try (NDManager probe = NDManager.newBaseManager(Device.cpu())) {
      return probe.getParentManager().getManagedArrays().size();
    }
  }
}
