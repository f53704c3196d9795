package org.stiffness.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.stiffness.datasets.BuiltinDigits;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.datasets.preprocess.Preprocessing;
import org.stiffness.datasets.subset.BalancedSubset;
import org.stiffness.experiments.MeasurementSchedule;
import org.stiffness.experiments.VisionExperiment;
import org.stiffness.io.JsonSummary;
import org.stiffness.models.PaperModels;
import org.stiffness.report.HtmlReport;
import org.stiffness.summary.ExperimentSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The first thing to run: the paper's fully connected net trained on the built-in 8x8 digits at two
 * learning rates, stiffness measured over training, everything written to one directory.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the paper's fully connected ReLU net (64-500-300-100-10) on the built-in UCI 8x8"
          + " digits (1297 train / 500 test, per-feature standardised, projected to the unit"
          + " sphere) with Adam at two learning rates, and measures exact sign and cosine"
          + " stiffness at log-spaced steps for the train-train, train-val and val-val pairings.",
      "Writes DIR/summary.json, the class stiffness matrices (.npy), plots (DIR/plots) and"
          + " DIR/report.html. DIR must not exist yet, or be empty; it appears only when"
          + " complete."
    })
final class DemoCommand implements Callable<Integer> {
  private static final int TRAIN = 1297;
  private static final long SPLIT_SEED = 0;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (created; must not exist or be empty).")
  Path out;

  @Option(
      names = "--lr",
      split = ",",
      defaultValue = "1e-3,1e-2",
      paramLabel = "LR[,LR...]",
      converter = Converters.LearningRate.class,
      description = "Adam learning rates, one run each (default: ${DEFAULT-VALUE}).")
  List<Double> learningRates;

  @Option(
      names = "--epochs",
      defaultValue = "5",
      paramLabel = "E",
      description = "Epochs of training per learning rate (default: ${DEFAULT-VALUE}).")
  double epochs;

  @Option(
      names = "--points",
      defaultValue = "8",
      paramLabel = "K",
      description = "Log-spaced measurement points, step 0 included (default: ${DEFAULT-VALUE}).")
  int points;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      description = "Seed of the initial weights, subsets and batches (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      paramLabel = "DEVICE",
      converter = Converters.DeviceName.class,
      description = "cpu, gpu or gpuN (default: ${DEFAULT-VALUE}).")
  Device device;

  @Override
  public Integer call() throws IOException {
    if (!(epochs > 0) || Double.isInfinite(epochs)) {
      throw bad("--epochs must be a positive number, got " + epochs);
    }
    if (points < 2) {
      throw bad("--points must be at least 2 (the start and the end), got " + points);
    }
    PrintWriter err = spec.commandLine().getErr();
    try (OutputDirectory directory = OutputDirectory.create(out)) {
      LabelledImages all = BuiltinDigits.load();
      int[][] parts = BalancedSubset.split(all, TRAIN, SPLIT_SEED);
      TrainTestSplit split =
          Preprocessing.PAPER.apply(
              new TrainTestSplit(
                  all.select(parts[0], "digits/train"), all.select(parts[1], "digits/test")));
      VisionExperiment.Config config =
          VisionExperiment.Config.defaults(learningRates, epochs)
              .withSubsetSizes(500, 500)
              .withSchedule(MeasurementSchedule.logSpaced(points))
              .withSeed(seed)
              .withDevice(device);
      ObjectNode describe =
          JsonSummary.mapper()
              .createObjectNode()
              .put("command", "demo")
              .put("dataset", "digits")
              .put("model", "fc")
              .put("preprocessing", "standardise + unit sphere");
      ExperimentSummary summary;
      try (ExperimentProgress progress =
          new ExperimentProgress(err, TileProgress.stderrIsTerminal())) {
        summary =
            new VisionExperiment(split, () -> PaperModels.fullyConnected(10), config)
                .run(directory.path(), describe, progress);
      }
      HtmlReport.generate(summary, directory.path(), all.classNames(), null);
      Path report = directory.commit().resolve(HtmlReport.FILE_NAME);
      spec.commandLine().getOut().println("wrote " + report);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private picocli.CommandLine.ParameterException bad(String message) {
    return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
  }
}
