package org.stiffness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The paper's vision experiments: train, measure stiffness over training, plot, report. The options
 * make a {@link VisionRequest}, which {@link VisionRun} runs.
 */
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
      throw new CommandLine.TypeConversionException(
          "unknown dataset '"
              + text
              + "': expected mnist, fashion-mnist, cifar10, cifar100 or digits");
    }

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  @Spec CommandLine.Model.CommandSpec spec;

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

  /** picocli converter for {@link DatasetName}. */
  static final class DatasetConverter implements CommandLine.ITypeConverter<DatasetName> {
    @Override
    public DatasetName convert(String value) {
      return DatasetName.parse(value);
    }
  }

  @Override
  public Integer call() throws IOException {
    new VisionRun(spec.commandLine(), spec.commandLine().getOut())
        .run(request(), CommandIdentity.of(spec));
    return 0;
  }

  /** The request these options make. */
  VisionRequest request() {
    return new VisionRequest(
        dataset,
        dataDir,
        model,
        trainSize,
        subsetSize,
        valSubsetSize,
        pairings,
        preprocessing,
        classGroups,
        allowMissingClasses,
        learningRates,
        sweep.settings());
  }
}
