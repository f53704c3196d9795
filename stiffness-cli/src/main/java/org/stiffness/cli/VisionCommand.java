package org.stiffness.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.datasets.preprocess.Preprocessing;
import org.stiffness.datasets.subset.BalancedSubset;
import org.stiffness.experiments.MeasurementSchedule;
import org.stiffness.experiments.Training;
import org.stiffness.experiments.VisionExperiment;
import org.stiffness.io.JsonSummary;
import org.stiffness.report.ClassOrder;
import org.stiffness.report.HtmlReport;
import org.stiffness.summary.ExperimentSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The paper's vision experiments: train, measure stiffness over training, plot, report. */
@Command(
    name = "vision",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a vision model at one or more constant learning rates and measures exact sign and"
          + " cosine stiffness over training on fixed class-balanced subsets (train-train,"
          + " train-val, val-val): class stiffness matrices, within/between-class stiffness,"
          + " stiffness vs input distance and the critical length xi.",
      "Writes DIR/summary.json, the class matrices (.npy), plots (DIR/plots) and"
          + " DIR/report.html; DIR appears only when complete."
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
          "Directory with the dataset's standard files (IDX for mnist and fashion-mnist, the"
              + " binary version for cifar10/cifar100); always works offline. Without it,"
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
      description = "The paper's model (default: ${DEFAULT-VALUE}).")
  ModelKind model;

  @Option(
      names = "--lr",
      split = ",",
      defaultValue = "1e-3,1e-2",
      paramLabel = "LR[,LR...]",
      converter = Converters.LearningRate.class,
      description = "Constant learning rates, one run each (default: ${DEFAULT-VALUE}).")
  List<Double> learningRates;

  @Option(
      names = "--optimizer",
      defaultValue = "adam",
      paramLabel = "adam|sgd",
      description = "Optimiser (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      paramLabel = "B",
      description = "Training batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--epochs",
      defaultValue = "1",
      paramLabel = "E",
      description = "Epochs of training per learning rate, may be fractional (default: 1).")
  double epochs;

  @Option(
      names = "--train-size",
      defaultValue = "0",
      paramLabel = "N",
      description = "Class-balanced training examples to train on; 0 = all (default).")
  int trainSize;

  @Option(
      names = "--subset-size",
      defaultValue = "0",
      paramLabel = "M",
      description =
          "Examples in each of the fixed train and val subsets stiffness is measured on;"
              + " 0 = 500, or 3000 for cifar100 (default).")
  int subsetSize;

  @Option(
      names = "--points",
      defaultValue = "12",
      paramLabel = "K",
      description = "Log-spaced measurement steps, step 0 included (default: ${DEFAULT-VALUE}).")
  int points;

  @Option(
      names = "--preprocessing",
      defaultValue = "paper",
      paramLabel = "paper|none",
      description =
          "paper: per-feature standardisation from the training set, then each input to the"
              + " unit sphere; none: pixels in [0, 1] (default: ${DEFAULT-VALUE}).")
  String preprocessing;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      description = "Seed of weights, subsets and batches (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--save-pair-matrices",
      description =
          "Also write each pairing's full cosine and sign matrices (.npy, float32 and int8) next"
              + " to its class matrices, rows and columns in the order of the measured subsets.")
  boolean savePairMatrices;

  @Option(
      names = "--xi-window",
      split = ",",
      defaultValue = "0,2",
      paramLabel = "LO,HI",
      description =
          "Input-distance window of the linear fit that gives the critical length xi (default:"
              + " ${DEFAULT-VALUE}, every within-class pair). When stiffness levels off near 0 at"
              + " large distances, a window over the decaying part (for example 0,1) keeps the"
              + " plateau from pulling the crossing out of range; see docs/statistics.md.")
  List<Double> xiWindow;

  @Option(
      names = "--export",
      description =
          "Also write the measured subsets exactly as fed to the model (export/subsets.npz),"
              + " the architecture (export/architecture.json) and the frozen parameters at each"
              + " checkpoint (<checkpoint>/parameters.npz), for numpy or PyTorch users.")
  boolean export;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      paramLabel = "DEVICE",
      converter = Converters.DeviceName.class,
      description = "cpu, gpu or gpuN (default: ${DEFAULT-VALUE}).")
  Device device;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (created; must not exist or be empty).")
  Path out;

  private final DatasetLocator locator = DatasetLocator.ofThisMachine();

  /** Where the dataset comes from, decided in {@link #validate()} before anything is written. */
  private DatasetLocator.Source source;

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
    PrintWriter err = spec.commandLine().getErr();
    TrainTestSplit raw = load(err);
    try (OutputDirectory directory = OutputDirectory.create(out)) {
      LabelledImages train =
          trainSize > 0 ? BalancedSubset.select(raw.train(), trainSize, seed) : raw.train();
      TrainTestSplit split = new TrainTestSplit(train, raw.test());
      if (preprocessing.equals("paper")) {
        split = Preprocessing.PAPER.apply(split);
      }
      int subset = subsetSize > 0 ? subsetSize : (dataset == DatasetName.CIFAR100 ? 3000 : 500);
      subset = Math.min(subset, Math.min(split.train().size(), split.test().size()));
      VisionExperiment.Config config =
          new VisionExperiment.Config(
              learningRates,
              optimizer.equals("sgd") ? Training.OptimizerKind.SGD : Training.OptimizerKind.ADAM,
              batchSize,
              epochs,
              subset,
              subset,
              seed,
              MeasurementSchedule.logSpaced(points),
              device,
              org.stiffness.experiments.StiffnessMeasurement.Settings.defaults()
                  .withPairMatrices(savePairMatrices)
                  .withExport(export)
                  .withCriticalLength(
                      org.stiffness.stats.CriticalLength.Config.defaults()
                          .withWindow(xiWindow.get(0), xiWindow.get(1))));
      ObjectNode describe = describe(train);
      int classes = train.classCount();
      ExperimentSummary summary;
      try (ExperimentProgress progress =
          new ExperimentProgress(err, TileProgress.stderrIsTerminal())) {
        summary =
            new VisionExperiment(split, () -> model.build(classes), config)
                .run(directory.path(), describe, progress);
      }
      HtmlReport.generate(summary, directory.path(), train.classNames(), classOrder(train));
      Path report = directory.commit().resolve(HtmlReport.FILE_NAME);
      spec.commandLine().getOut().println("wrote " + report);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private void validate() {
    if (!(epochs > 0) || Double.isInfinite(epochs)) {
      throw bad("--epochs must be a positive number, got " + epochs);
    }
    if (points < 2) {
      throw bad("--points must be at least 2, got " + points);
    }
    if (batchSize < 1) {
      throw bad("--batch-size must be positive, got " + batchSize);
    }
    if (trainSize < 0 || subsetSize < 0) {
      throw bad("--train-size and --subset-size must not be negative");
    }
    if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
      throw bad("unknown optimizer '" + optimizer + "': expected adam or sgd");
    }
    if (!preprocessing.equals("paper") && !preprocessing.equals("none")) {
      throw bad("unknown preprocessing '" + preprocessing + "': expected paper or none");
    }
    if (xiWindow.size() != 2
        || !(xiWindow.get(0) >= 0)
        || !(xiWindow.get(1) > xiWindow.get(0))
        || xiWindow.get(1) > 2) {
      throw bad("--xi-window must be LO,HI with 0 <= LO < HI <= 2, got " + xiWindow);
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
    return locator.load(dataset, source);
  }

  /** CIFAR-100 heatmaps ordered by superclass, with the superclass boundaries drawn. */
  private static ClassOrder classOrder(LabelledImages train) {
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
            .put("model", model.label())
            .put("optimizer", optimizer)
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
