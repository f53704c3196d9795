package org.stiffness.vision;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.StiffnessEngine;
import org.stiffness.datasets.FashionMnist;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.datasets.preprocess.Preprocessing;
import org.stiffness.datasets.subset.BalancedSubset;
import org.stiffness.experiments.CheckpointKinds;
import org.stiffness.experiments.ExperimentListener;
import org.stiffness.experiments.MeasuredSet;
import org.stiffness.experiments.MeasurementDesign;
import org.stiffness.experiments.MeasurementSchedule;
import org.stiffness.experiments.SavedCheckpoint;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.stats.tiles.Oracle;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.StatisticsSpec;
import org.stiffness.summary.PairingSpec;
import org.stiffness.vision.models.PaperModels;

/**
 * The tile reductions on a real checkpoint: the fully connected net trained for an epoch on 1200
 * Fashion-MNIST images (Debian's {@code dataset-fashion-mnist}, which CI installs), saved, loaded,
 * and its three pairings of 300 + 200 examples measured both ways: tile sums against the
 * whole-matrix float64 statistics of the same engine's Gram matrices.
 */
class FashionMnistStatisticsTest {
  @TempDir static Path dir;
  private static Path checkpoint;

  @BeforeAll
  static void trainAndSave() throws IOException {
    Optional<Path> data = FashionMnist.findDebianInstall();
    assumeTrue(data.isPresent(), "apt-get install dataset-fashion-mnist to run this test");
    TrainTestSplit raw = FashionMnist.fromDirectory(data.get());
    TrainTestSplit split =
        Preprocessing.PAPER.apply(
            new TrainTestSplit(BalancedSubset.select(raw.train(), 1200, 0), raw.test()));
    VisionExperiment.Config config =
        VisionExperiment.Config.defaults(List.of(1e-3), 1)
            .withSubsetSizes(300, 200)
            .withSchedule(MeasurementSchedule.explicit(new long[] {38}));
    // Blocks of 64: 15 + 20 + 10 tiles, mirrored ones among them.
    config =
        config.withMeasurement(
            config
                .measurement()
                .withGram(GramOptions.defaults().withBlockSize(64))
                .withCheckpoints("fc"));
    new VisionExperiment(split, () -> PaperModels.fullyConnected(10), config)
        .run(dir, null, ExperimentListener.logging());
    try (Stream<Path> steps = Files.list(dir.resolve("checkpoints/lr=0.001"))) {
      checkpoint = steps.findFirst().orElseThrow();
    }
  }

  @Test
  void tileSumsOfATrainedCheckpointMatchTheWholeMatrixStatistics() throws IOException {
    {
      try (SavedCheckpoint saved =
              SavedCheckpoint.load(checkpoint, CheckpointKinds.of(MeasuredModels::build));
          NDManager manager = NDManager.newBaseManager(Device.cpu());
          MeasurementDesign design = saved.design();
          StiffnessEngine engine =
              StiffnessEngine.builder(saved.model()).options(saved.settings().gram()).build()) {
        for (PairingSpec p : saved.pairings()) {
          MeasuredSet rows = set(saved, p.rows());
          MeasuredSet cols = set(saved, p.cols());
          StatisticsSpec spec = design.spec(p);
          var y = rows == cols ? rows.examples() : cols.examples();
          PairingStatistics s = engine.statistics(rows.examples(), y, spec);
          GramMatrix k = engine.gram(rows.examples(), y);
          var plan = engine.tilePlan(rows.examples(), y);
          assertTrue(plan.tileCount() > 4, p.key() + ": several tiles, " + plan.tileCount());
          Oracle.assertAgreesWithEngine(
              s, k, spec, Oracle.assembled(spec, plan, manager), Map.of());
        }
      }
    }
  }

  private static MeasuredSet set(SavedCheckpoint saved, String name) {
    return saved.sets().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /** The vision models by kind (the CLI's registry lives in another module). */
  private static final class MeasuredModels {
    static Block build(String kind, int classes) {
      if (!kind.equals("fc")) {
        throw new IllegalArgumentException("this test saves fc checkpoints only, got " + kind);
      }
      return PaperModels.fullyConnected(classes);
    }
  }
}
