package org.stiffness.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.datasets.preprocess.Preprocessing;
import org.stiffness.datasets.subset.BalancedSubset;
import org.stiffness.io.JsonSummary;
import org.stiffness.report.ClassOrder;
import org.stiffness.report.HtmlReport;
import org.stiffness.stats.ClassGroups;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.PairingSpec;
import org.stiffness.vision.VisionExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The paper's vision experiments: train, measure stiffness over training, plot, report. */
@Command(
    name = "vision",
    header = "Trains a vision model and measures its stiffness over training (MNIST, CIFAR, ...).",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a vision model at one or more constant learning rates and measures exact sign and"
          + " cosine stiffness over training on fixed class-balanced subsets (train-train,"
          + " train-val, val-val): class stiffness matrices, within/between-class stiffness,"
          + " stiffness vs input distance and the critical length xi.",
      "Writes DIR/summary.json, the class matrices (.npy), plots (DIR/plots) and"
          + " DIR/report.html, through DIR/.partial: they appear only when complete. An"
          + " interrupted run continues when rerun with the same options and DIR."
    })
final class VisionCommand implements Callable<Integer> {

  /** Datasets the command reads. */
  enum DatasetName {
    MNIST,
    FASHION_MNIST,
    CIFAR10,
    CIFAR100,
    DIGITS;

    static DatasetName parse(String text) {
      for (DatasetName d : values()) {
        if (d.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
          return d;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "unknown dataset '"
              + text
              + "': expected mnist, fashion-mnist, cifar10, cifar100 or digits");
    }

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin SweepOptions sweep;

  @Option(
      names = "--lr",
      split = ",",
      defaultValue = "1e-3,1e-2",
      paramLabel = "LR[,LR...]",
      hideParamSyntax = true,
      converter = Converters.LearningRate.class,
      description = "Constant learning rates, one run each (default: ${DEFAULT-VALUE}).")
  List<Double> learningRates;

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "NAME",
      converter = DatasetConverter.class,
      description = "mnist, fashion-mnist, cifar10, cifar100 or digits (built in).")
  DatasetName dataset;

  @Option(
      names = "--data-dir",
      paramLabel = "D",
      description =
          "Data directory, each dataset in its own subdirectory as for reproduce: D/mnist/ and"
              + " D/fashion-mnist/ (the four IDX files), D/cifar-10-batches-bin/ and"
              + " D/cifar-100-binary/ (the binary versions); one dataset's files directly in D"
              + " work too. Always works offline. Without it,"
              + " fashion-mnist comes from Debian's dataset-fashion-mnist when installed, and"
              + " mnist, fashion-mnist and cifar10 are downloaded once through DJL's basicdataset"
              + " into DJL's cache, unless DJL is offline (-Dai.djl.offline=true or"
              + " DJL_OFFLINE=true). cifar100 always needs it; digits never.")
  Path dataDir;

  @Option(
      names = "--model",
      defaultValue = "fc",
      paramLabel = "fc|cnn|resnet20",
      converter = Converters.Model.class,
      description =
          "One of the paper's models (default: ${DEFAULT-VALUE}). fc: fully connected ReLU net,"
              + " input -> 500 -> 300 -> 100 -> classes; cnn: three 3x3 convolutions (16, 32, 32"
              + " channels) with ReLU and 2x2 max pooling, then one dense layer; resnet20: ResNet20"
              + " v1 without batch normalisation (16, 32, 64 channels), for CIFAR.")
  ModelKind model;

  @Option(
      names = "--train-size",
      defaultValue = "0",
      paramLabel = "N",
      description = "Class-balanced training examples to train on (default: 0, all of them).")
  int trainSize;

  @Option(
      names = "--subset-size",
      defaultValue = "0",
      paramLabel = "M",
      description =
          "Examples in each fixed measured subset (default: 0, meaning 500, or 3000 for"
              + " cifar100), train and val, at most the training and test set sizes.")
  int subsetSize;

  @Option(
      names = "--val-subset-size",
      defaultValue = "0",
      paramLabel = "M",
      description = "Examples in the fixed val subset (default: 0, --subset-size's).")
  int valSubsetSize;

  @Option(
      names = "--pairings",
      split = ",",
      paramLabel = "P[,P...]",
      hideParamSyntax = true,
      defaultValue = "train-train,train-val,val-val",
      description =
          "Pairings to measure (default: ${DEFAULT-VALUE}); e.g. train-train alone for a train"
              + " subset larger than the test set.")
  List<String> pairings;

  @Option(
      names = "--preprocessing",
      defaultValue = "paper",
      paramLabel = "paper|none",
      description =
          "Input preprocessing (default: ${DEFAULT-VALUE}). paper: per-feature standardisation"
              + " from the training set, then each input to the unit sphere; none: pixels in [0, 1].")
  String preprocessing;

  @Option(
      names = "--class-groups",
      defaultValue = ClassGroupsOption.AUTO,
      paramLabel = "G",
      description =
          "Class grouping (default: ${DEFAULT-VALUE}): auto|none|fashion|cifar100-coarse|FILE."
              + " Every pairing reports within-group and across-group stiffness, and the class"
              + " heatmaps are ordered by group. auto takes cifar100-coarse (CIFAR-100's 20 superclasses) for cifar100 and fashion"
              + " (ours: tops, bottoms, dresses, footwear, bags) for fashion-mnist, none"
              + " elsewhere; none turns it off; FILE has one line per group, 'name: class,"
              + " class, ...', classes by name or index (docs/statistics.md).")
  String classGroups;

  @Option(
      names = "--allow-missing-classes",
      description =
          "Measure even when a class has no example in the training or test set (refused"
              + " otherwise): its rows and columns of the class matrices are NaN, as a warning"
              + " and absent_classes in summary.json say.")
  boolean allowMissingClasses;

  private final DatasetLocator locator = DatasetLocator.ofThisMachine();

  /** Where the dataset comes from, decided in {@link #validate()} before anything is written. */
  private DatasetLocator.Source source;

  /** Where the data were read from, in words, once they are ({@link DatasetLocator#describe}). */
  private String dataSource;

  /** picocli converter for {@link DatasetName}. */
  static final class DatasetConverter implements picocli.CommandLine.ITypeConverter<DatasetName> {
    @Override
    public DatasetName convert(String value) {
      return DatasetName.parse(value);
    }
  }

  @Override
  public Integer call() throws IOException {
    validate();
    sweep.engine.requireDevice(spec.commandLine());
    PrintWriter err = spec.commandLine().getErr();
    List<Double> learningRates = sweep.learningRates(this.learningRates, List.of(1e-3, 1e-2));
    try (OutputDirectory directory = sweep.outputDirectory(CommandIdentity.of(spec));
        InterruptNotice notice =
            InterruptNotice.install(err, () -> directory.keptLine(learningRates.size()))) {
      sweep.sayResuming(directory, learningRates.size());
      try {
        return run(directory, learningRates, err);
      } catch (IOException | RuntimeException e) {
        sweep.sayKept(directory, learningRates.size());
        throw e;
      }
    }
  }

  private int run(OutputDirectory directory, List<Double> learningRates, PrintWriter err)
      throws IOException {
    TrainTestSplit raw = load(err);
    ClassGroups groups;
    try {
      groups = ClassGroupsOption.resolve(classGroups, dataset, raw.train());
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
    if (!absent.isEmpty() && !allowMissingClasses) {
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
    sweep.checkTrainingLength(
        trainSize > 0 ? Math.min(trainSize, raw.train().size()) : raw.train().size());
    LabelledImages train =
        trainSize > 0 ? BalancedSubset.select(raw.train(), trainSize, sweep.seed) : raw.train();
    TrainTestSplit split = new TrainTestSplit(train, raw.test());
    if (preprocessing.equals("paper")) {
      split = Preprocessing.PAPER.apply(split);
    }
    int subset = subsetSize > 0 ? subsetSize : (dataset == DatasetName.CIFAR100 ? 3000 : 500);
    int trainSubset = capped(err, "train", subset, split.train().size(), "training");
    int valSubset =
        capped(err, "val", valSubsetSize > 0 ? valSubsetSize : subset, split.test().size(), "test");
    VisionExperiment.Config config =
        new VisionExperiment.Config(
            learningRates,
            sweep.optimizerKind(),
            sweep.batchSize,
            sweep.epochs,
            trainSubset,
            valSubset,
            sweep.seed,
            sweep.schedule(),
            sweep.engine.device,
            sweep
                .measurement()
                .withCheckpoints(sweep.saveCheckpoints ? model.label() : null)
                .withClassGroups(groups),
            pairingSpecs());
    ObjectNode describe = describe(train);
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
    HtmlReport.generate(summary, directory.path(), train.classNames(), classOrder(groups, train));
    Path report = directory.commit().resolve(HtmlReport.FILE_NAME);
    spec.commandLine().getOut().println("wrote " + report);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** A subset size no larger than its source set, saying so when it had to be cut. */
  private static int capped(PrintWriter err, String set, int wanted, int available, String source) {
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

  private List<PairingSpec> pairingSpecs() {
    List<PairingSpec> out = new ArrayList<>();
    for (String p : pairings) {
      out.add(PairingSpec.parse(p.trim()));
    }
    return out;
  }

  private void validate() {
    sweep.validate();
    if (trainSize < 0 || subsetSize < 0 || valSubsetSize < 0) {
      throw bad("--train-size, --subset-size and --val-subset-size must not be negative");
    }
    for (String p : pairings) {
      if (!List.of("train-train", "train-val", "val-val", "val-train").contains(p.trim())) {
        throw bad(
            "unknown pairing '" + p + "': expected train-train, train-val, val-train or val-val");
      }
    }
    if (pairings.stream().map(String::trim).distinct().count() != pairings.size()) {
      throw bad("--pairings names a pairing twice: " + pairings);
    }
    if (!preprocessing.equals("paper") && !preprocessing.equals("none")) {
      throw bad("unknown preprocessing '" + preprocessing + "': expected paper or none");
    }
    if (dataDir != null && !Files.isDirectory(dataDir)) {
      throw bad("--data-dir " + dataDir + " is not a directory");
    }
    try {
      source = locator.locate(dataset, dataDir);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  private TrainTestSplit load(PrintWriter err) throws IOException {
    if (source.origin() == DatasetLocator.Origin.BASICDATASET) {
      err.println(
          dataset.label()
              + ": no --data-dir, reading it through DJL's basicdataset (downloaded once into "
              + ai.djl.util.Utils.getCacheDir()
              + ")");
      err.flush();
    }
    TrainTestSplit split = locator.load(dataset, source);
    dataSource = DatasetLocator.describe(dataset, source);
    return split;
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

  private ObjectNode describe(LabelledImages train) {
    ObjectNode d =
        JsonSummary.mapper()
            .createObjectNode()
            .put("command", "vision")
            .put("dataset", dataset.label())
            .put("data_dir", dataDir == null ? null : dataDir.toAbsolutePath().toString())
            .put("data_source", dataSource)
            .put("model", model.label())
            .put("optimizer", sweep.optimizer)
            .put("preprocessing", preprocessing)
            .put("train_size", train.size());
    ArrayNode names = d.putArray("class_names");
    train.classNames().forEach(names::add);
    return d;
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
