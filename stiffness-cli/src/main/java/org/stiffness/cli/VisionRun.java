package org.stiffness.cli;

import ai.djl.util.Utils;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.stiffness.cli.VisionCommand.DatasetName;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.datasets.preprocess.Preprocessing;
import org.stiffness.datasets.subset.BalancedSubset;
import org.stiffness.io.JsonSummary;
import org.stiffness.report.ClassOrder;
import org.stiffness.report.Figure;
import org.stiffness.stats.ClassGroups;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.PairingSpec;
import org.stiffness.vision.VisionExperiment;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Runs one {@link VisionRequest}: checks it, finds the data, trains and measures, plots and writes
 * the report, through the output directory's staging area. What {@code stiffness vision} runs for
 * its options, and {@code reproduce} for each of its vision experiments.
 */
final class VisionRun {
  private final CommandLine cli;
  private final PrintWriter out;
  private final PrintWriter err;
  private final DatasetLocator locator = DatasetLocator.ofThisMachine();

  /**
   * @param cli the command bad settings are reported against (exit code 2), and whose stderr shows
   *     the progress
   * @param out where the "wrote" line goes
   */
  VisionRun(CommandLine cli, PrintWriter out) {
    this.cli = cli;
    this.out = out;
    this.err = cli.getErr();
  }

  /**
   * Runs the request into {@code request.sweep().out()}, continuing an interrupted run of the same
   * {@code identity} there.
   *
   * @return the figures of the report, their files relative to the output directory
   * @throws ParameterException for settings or data that cannot run, before anything is written
   */
  List<Figure> run(VisionRequest request, CommandIdentity identity) throws IOException {
    DatasetLocator.Source source;
    try {
      request.validate();
      source = locator.locate(request.dataset(), request.dataDir());
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    DeviceCheck.require(cli, request.sweep().device(), "");
    List<Double> learningRates = rates(request);
    OutputDirectory opened;
    try {
      opened = SweepDirectory.open(request.sweep().out(), identity);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    try (OutputDirectory directory = opened;
        InterruptNotice notice =
            InterruptNotice.install(err, () -> directory.keptLine(learningRates.size()))) {
      SweepDirectory.sayResuming(err, request.sweep().out(), directory, learningRates.size());
      try {
        return run(request, source, directory, learningRates);
      } catch (IOException | RuntimeException e) {
        SweepDirectory.sayKept(err, directory, learningRates.size());
        throw e;
      }
    }
  }

  private List<Double> rates(VisionRequest request) {
    try {
      return SweepSettings.learningRates(
          request.learningRates(), VisionRequest.DEFAULT_LEARNING_RATES);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  private List<Figure> run(
      VisionRequest request,
      DatasetLocator.Source source,
      OutputDirectory directory,
      List<Double> learningRates)
      throws IOException {
    DatasetName dataset = request.dataset();
    SweepSettings sweep = request.sweep();
    TrainTestSplit raw = load(dataset, source);
    String dataSource = DatasetLocator.describe(dataset, source);
    ClassGroups groups;
    try {
      groups = ClassGroupsOption.resolve(request.classGroups(), dataset, raw.train());
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    List<String> absent = new ArrayList<>();
    for (LabelledImages set : List.of(raw.train(), raw.test())) {
      String missing = ClassCoverage.absent(set);
      if (missing != null) {
        absent.add(missing);
      }
    }
    if (!absent.isEmpty() && !request.allowMissingClasses()) {
      throw bad(
          String.join("; ", absent)
              + ": their class-matrix rows would be NaN (--allow-missing-classes measures anyway)");
    }
    for (String missing : absent) {
      err.println(
          "stiffness: warning: "
              + missing
              + ": their rows and columns of the class matrices are NaN");
      err.flush();
    }
    int trainSize = request.trainSize();
    try {
      sweep.checkTrainingLength(
          trainSize > 0 ? Math.min(trainSize, raw.train().size()) : raw.train().size());
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    LabelledImages train =
        trainSize > 0 ? BalancedSubset.select(raw.train(), trainSize, sweep.seed()) : raw.train();
    TrainTestSplit split = new TrainTestSplit(train, raw.test());
    if (request.preprocessing().equals("paper")) {
      split = Preprocessing.PAPER.apply(split);
    }
    int subset =
        request.subsetSize() > 0
            ? request.subsetSize()
            : (dataset == DatasetName.CIFAR100 ? 3000 : 500);
    int trainSubset = capped("train", subset, split.train().size(), "training");
    int valSubset =
        capped(
            "val",
            request.valSubsetSize() > 0 ? request.valSubsetSize() : subset,
            split.test().size(),
            "test");
    ModelKind model = request.model();
    VisionExperiment.Config config =
        new VisionExperiment.Config(
            learningRates,
            sweep.optimizerKind(),
            sweep.batchSize(),
            sweep.epochs(),
            trainSubset,
            valSubset,
            sweep.seed(),
            sweep.schedule(),
            sweep.device(),
            sweep
                .measurement()
                .withCheckpoints(sweep.saveCheckpoints() ? model.label() : null)
                .withClassGroups(groups),
            request.pairings().stream().map(p -> PairingSpec.parse(p.trim())).toList());
    ObjectNode describe = describe(request, train, dataSource);
    if (!absent.isEmpty()) {
      ObjectNode byName = describe.putObject("absent_classes");
      for (LabelledImages set : List.of(raw.train(), raw.test())) {
        if (!set.absentClasses().isEmpty()) {
          set.absentClasses().forEach(byName.putArray(set.name())::add);
        }
      }
    }
    int classes = train.classCount();
    ExperimentSummary summary;
    VisionExperiment experiment = new VisionExperiment(split, () -> model.build(classes), config);
    try (ExperimentProgress progress =
        new ExperimentProgress(err, TileProgress.stderrIsTerminal())) {
      summary =
          experiment.run(
              directory.path(),
              directory.journal(),
              describe,
              new DataSourceLine(
                  FaultInjection.around(progress, err),
                  err,
                  dataset.label() + " from " + dataSource));
    }
    err.println("stiffness: measurements: " + experiment.times());
    err.flush();
    List<Figure> figures =
        ReportFigures.write(
            summary, directory.path(), train.classNames(), classOrder(groups, train));
    Path report = directory.commit().resolve(ReportFigures.REPORT);
    out.println("wrote " + report);
    out.flush();
    return figures;
  }

  /** A subset size no larger than its source set, saying so when it had to be cut. */
  private int capped(String set, int wanted, int available, String source) {
    if (wanted <= available) {
      return wanted;
    }
    err.println(
        "stiffness: the "
            + set
            + " subset has "
            + available
            + " examples, all of the "
            + source
            + " set ("
            + wanted
            + " were asked for)");
    err.flush();
    return available;
  }

  private TrainTestSplit load(DatasetName dataset, DatasetLocator.Source source)
      throws IOException {
    if (source.origin() == DatasetLocator.Origin.BASICDATASET) {
      err.println(
          dataset.label()
              + ": no --data-dir, reading it through DJL's basicdataset (downloaded once into "
              + Utils.getCacheDir()
              + ")");
      err.flush();
    }
    return locator.load(dataset, source);
  }

  /**
   * Heatmaps ordered by the class groups, with their boundaries drawn; without groups, CIFAR-100's
   * ordered by superclass all the same, as the paper draws them.
   */
  private static ClassOrder classOrder(ClassGroups groups, LabelledImages train) {
    if (groups != null) {
      return ClassOrder.byGroup(groups.groupOf());
    }
    if (!train.hasCoarseLabels()) {
      return null;
    }
    int[] groupOf = new int[train.classCount()];
    for (int i = 0; i < train.size(); i++) {
      groupOf[train.label(i)] = train.coarseLabel(i);
    }
    return ClassOrder.byGroup(groupOf);
  }

  private static ObjectNode describe(
      VisionRequest request, LabelledImages train, String dataSource) {
    Path dataDir = request.dataDir();
    ObjectNode d =
        JsonSummary.mapper()
            .createObjectNode()
            .put("command", "vision")
            .put("dataset", request.dataset().label())
            .put("data_dir", dataDir == null ? null : dataDir.toAbsolutePath().toString())
            .put("data_source", dataSource)
            .put("model", request.model().label())
            .put("optimizer", request.sweep().optimizer())
            .put("preprocessing", request.preprocessing())
            .put("train_size", train.size());
    ArrayNode names = d.putArray("class_names");
    train.classNames().forEach(names::add);
    return d;
  }

  private ParameterException bad(String message) {
    return new ParameterException(cli, message);
  }
}
