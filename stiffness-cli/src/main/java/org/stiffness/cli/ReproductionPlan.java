package org.stiffness.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stiffness.cli.VisionCommand.DatasetName;
import org.stiffness.datasets.Cifar10;
import org.stiffness.datasets.Cifar100;
import org.stiffness.datasets.FashionMnist;
import org.stiffness.datasets.IdxDirectory;
import org.stiffness.io.JsonSummary;

/**
 * The experiments of {@code reproduce} that the data at hand allows, each a typed request sized by
 * {@code --scale} and cut to the training examples there are; those the data does not allow carry
 * why. Records where each dataset comes from and which experiments were cut, for reproduction.json.
 */
final class ReproductionPlan {

  /** Training-set sizes the scale cannot exceed, per dataset. */
  private static final int DIGITS_TRAIN = 1297;

  private static final int IMAGES_TRAIN = 50_000;

  /**
   * How a vision experiment trains at scale 1: the model, class-balanced training examples, the
   * learning rates (one run each) and the log-spaced checkpoints. Sized so that the three
   * always-run experiments take about 10 minutes on two shared cores (docs/reproduction.md).
   */
  private record Recipe(ModelKind model, int trainSize, List<Double> lrs, int points) {}

  private static final Recipe FC = new Recipe(ModelKind.FC, 20_000, List.of(1e-4, 1e-3, 1e-2), 12);

  private static final Recipe CNN = new Recipe(ModelKind.CNN, 12_000, List.of(1e-3, 1e-2), 10);

  private static final Recipe CIFAR100_CNN =
      new Recipe(ModelKind.CNN, 20_000, List.of(1e-3, 1e-2), 10);

  /**
   * The fewest training examples an experiment is scaled down to: below it, the fixed measured
   * subsets (50 examples at the smallest scale) and ten classes leave too little to train on.
   */
  static final int MIN_TRAIN = 100;

  /** Epochs of every vision experiment but the overfitting one, at scale 1. */
  private static final int EPOCHS = 5;

  private final ReproduceCommand options;
  private final Device device;

  /**
   * The experiments cut to the training examples there are: {@code {"mnist-fc": {"dataset":
   * "mnist", "asked": 20000, "train_size": 7996}}}.
   */
  private final ObjectNode scaledToData = JsonSummary.mapper().createObjectNode();

  /**
   * Where each dataset the experiments read comes from, in words, as the experiments' own summaries
   * say it: {@code {"fashion-mnist": "directory /data/fashion-mnist"}}.
   */
  private final ObjectNode dataSources = JsonSummary.mapper().createObjectNode();

  /**
   * @param options the reproduce command's checked options
   * @param device its {@code --device}
   */
  ReproductionPlan(ReproduceCommand options, Device device) {
    this.options = options;
    this.device = device;
  }

  /** {@code settings.scaled_to_data} of reproduction.json, once {@link #experiments} ran. */
  ObjectNode scaledToData() {
    return scaledToData;
  }

  /** {@code settings.data_sources} of reproduction.json, once {@link #experiments} ran. */
  ObjectNode dataSources() {
    return dataSources;
  }

  /**
   * The experiments, in the order they run, saying on {@code err} where the data come from and
   * which experiments were cut to the data.
   *
   * @throws IllegalArgumentException when a dataset holds fewer than {@link #MIN_TRAIN} training
   *     examples
   */
  List<PlannedExperiment> experiments(PrintWriter err) {
    Path dataDir = options.dataDir;
    List<PlannedExperiment> plans = new ArrayList<>();
    String main = options.dataset;
    Path mainData = null;
    int mainAvailable = IMAGES_TRAIN;
    if (main.equals("fashion-mnist")) {
      Path own = dataDir == null ? null : dataDir.resolve("fashion-mnist");
      if (own != null && IdxDirectory.isComplete(own)) {
        // The same --data-dir as given: vision reads D/fashion-mnist/ from it, one layout for both.
        mainData = dataDir;
        mainAvailable = trainingExamples(own);
      } else if (FashionMnist.findDebianInstall().isEmpty()) {
        main = "digits";
        err.println(
            "reproduce: Fashion-MNIST not found (Debian's dataset-fashion-mnist is not installed"
                + (dataDir == null ? "" : " and " + own + " holds no IDX files")
                + "): the experiments run on the built-in digits instead");
        err.flush();
      }
    }
    if (main.equals("digits")) {
      dataSources.put("digits", "built-in digits");
    } else if (mainData != null) {
      dataSources.put(main, "directory " + dir(dataDir.resolve("fashion-mnist")));
    } else {
      dataSources.put(main, "directory " + dir(FashionMnist.DEBIAN_DIRECTORY) + " (Debian's)");
    }
    DatasetName mainSet = DatasetName.parse(main);
    int cap = main.equals("digits") ? DIGITS_TRAIN : mainAvailable;
    plans.add(vision(main + "-fc", mainSet, mainData, FC, cap));
    plans.add(vision(main + "-cnn", mainSet, mainData, CNN, cap));
    plans.add(overfit(mainSet, mainData, cap));

    Path mnist = dataDir == null ? null : dataDir.resolve("mnist");
    if (mnist != null && IdxDirectory.isComplete(mnist)) {
      int available = Math.min(IMAGES_TRAIN, trainingExamples(mnist));
      dataSources.put("mnist", "directory " + dir(mnist));
      plans.add(vision("mnist-fc", DatasetName.MNIST, dataDir, FC, available));
      plans.add(vision("mnist-cnn", DatasetName.MNIST, dataDir, CNN, available));
    } else {
      String why = missing("MNIST", "mnist/ with its four IDX files");
      plans.add(PlannedExperiment.absent("mnist-fc", "fc on MNIST", why));
      plans.add(PlannedExperiment.absent("mnist-cnn", "cnn on MNIST", why));
    }
    if (hasFile("cifar-10-batches-bin", "batches.meta.txt")) {
      dataSources.put("cifar10", "directory " + dir(cifarDirectory(true)));
      plans.add(vision("cifar10-cnn", DatasetName.CIFAR10, dataDir, CNN, IMAGES_TRAIN));
    } else {
      plans.add(
          PlannedExperiment.absent(
              "cifar10-cnn",
              "cnn on CIFAR-10",
              missing("CIFAR-10", "cifar-10-batches-bin/ (the binary version)")));
    }
    if (hasFile("cifar-100-binary", "fine_label_names.txt")) {
      dataSources.put("cifar100", "directory " + dir(cifarDirectory(false)));
      plans.add(vision("cifar100-cnn", DatasetName.CIFAR100, dataDir, CIFAR100_CNN, IMAGES_TRAIN));
    } else {
      plans.add(
          PlannedExperiment.absent(
              "cifar100-cnn",
              "cnn on CIFAR-100",
              missing("CIFAR-100", "cifar-100-binary/ (the binary version)")));
    }
    plans.add(mnli());
    if (options.mnliDir != null) {
      dataSources.put("mnli", "MNLI in directory " + dir(options.mnliDir));
    }
    List<String> sources = new ArrayList<>();
    dataSources
        .fields()
        .forEachRemaining(e -> sources.add(e.getKey() + " from " + e.getValue().asText()));
    err.println("reproduce: data: " + String.join("; ", sources));
    err.flush();
    sayScaledDown(err);
    return plans;
  }

  private static Path dir(Path p) {
    return p.toAbsolutePath().normalize();
  }

  /** The directory vision reads CIFAR-10's (or CIFAR-100's) files from, given --data-dir. */
  private Path cifarDirectory(boolean cifar10) {
    try {
      return cifar10 ? Cifar10.locate(options.dataDir) : Cifar100.locate(options.dataDir);
    } catch (NoSuchFileException e) {
      // Called only once hasFile has found the files.
      return options.dataDir;
    }
  }

  /**
   * Training examples in {@code dir}'s IDX training labels (the count in their header), refused
   * below {@link #MIN_TRAIN}; a header that cannot be read is left to the experiment's own reader,
   * which names what is wrong.
   */
  private static int trainingExamples(Path dir) {
    int n = IdxLabelCount.train(dir);
    if (n < 0) {
      return IMAGES_TRAIN;
    }
    if (n < MIN_TRAIN) {
      throw new IllegalArgumentException(
          dir
              + " holds "
              + n
              + " training examples, fewer than the "
              + MIN_TRAIN
              + " an experiment is scaled down to at the least");
    }
    return n;
  }

  /**
   * One line per dataset whose experiments asked for more training examples than it has, and the
   * same in reproduction.json ({@code settings.scaled_to_data}).
   */
  private void sayScaledDown(PrintWriter err) {
    Map<String, List<String>> byDataset = new LinkedHashMap<>();
    Map<String, Integer> availableOf = new LinkedHashMap<>();
    scaledToData
        .fields()
        .forEachRemaining(
            e -> {
              String data = e.getValue().get("dataset").asText();
              byDataset
                  .computeIfAbsent(data, k -> new ArrayList<>())
                  .add(e.getKey() + " (" + e.getValue().get("asked").asInt() + ")");
              availableOf.put(data, e.getValue().get("train_size").asInt());
            });
    byDataset.forEach(
        (data, experiments) -> {
          err.println(
              "reproduce: "
                  + data
                  + " has "
                  + availableOf.get(data)
                  + " training examples, fewer than "
                  + String.join(", ", experiments)
                  + " ask for: they train on all "
                  + availableOf.get(data));
          err.flush();
        });
  }

  /** The training-set size of an experiment: the scaled one, or all there is when that is less. */
  private int trainSize(String experiment, DatasetName data, int scaled, int available) {
    if (scaled <= available) {
      return scaled;
    }
    scaledToData
        .putObject(experiment)
        .put("dataset", data.label())
        .put("asked", scaled)
        .put("train_size", available);
    return available;
  }

  /** The sweep settings of every experiment: the options' seed and device, these lengths. */
  private SweepSettings sweep(String name, double epochs, int points) {
    // The output directory is the experiment's own under the reproduction's, set when it runs.
    return SweepSettings.defaults(Path.of(name))
        .withLength(epochs, points)
        .on(options.seed, device);
  }

  /**
   * @param dataDir the --data-dir vision is given, or null
   * @param available the training examples there are: a scaled size beyond them is cut to them
   */
  private PlannedExperiment vision(
      String name, DatasetName data, Path dataDir, Recipe recipe, int available) {
    int size = trainSize(name, data, train(recipe.trainSize(), Integer.MAX_VALUE), available);
    // CIFAR-100 measures 1000, not the paper's 3000, whose Gram matrices are 9 times as large
    // (untimed here: no CIFAR-100 on the development machine); 10 examples per class still fill
    // every cell.
    int subset = data == DatasetName.CIFAR100 ? subset(1000) : subset(500);
    VisionRequest request =
        VisionRequest.of(
            data,
            dataDir,
            recipe.model(),
            size,
            subset,
            recipe.lrs(),
            sweep(name, epochs(EPOCHS), points(recipe.points())));
    String description =
        recipe.model().label()
            + " on "
            + data.label()
            + ", learning rates "
            + ExperimentRequest.rates(recipe.lrs());
    return new PlannedExperiment(name, description, request, false, null);
  }

  /**
   * A training set small enough that the fc net memorises it within the run: 300 examples (at scale
   * 1), 100 epochs, validation loss passes its minimum early and rises.
   */
  private PlannedExperiment overfit(DatasetName data, Path dataDir, int available) {
    double scale = options.scale;
    String name = data.label() + "-overfit";
    int n =
        trainSize(name, data, Math.max(50, (int) Math.round(300 * Math.min(1, scale))), available);
    int epochs = Math.max(1, (int) Math.round(100 * scale));
    // Every training example is measured (the subset is the training set, as small as it is).
    VisionRequest request =
        VisionRequest.of(
            data,
            dataDir,
            ModelKind.FC,
            n,
            Math.min(300, n),
            List.of(1e-3),
            sweep(name, epochs, points(12)));
    return new PlannedExperiment(
        name,
        "fc on "
            + n
            + " examples of "
            + data.label()
            + " for "
            + epochs
            + " epochs, learning rate 1e-3",
        request,
        true,
        null);
  }

  private PlannedExperiment mnli() {
    if (options.mnliDir == null) {
      return PlannedExperiment.absent("mnli", "BERT-style encoder on MNLI", "no --mnli-dir");
    }
    NliRequest request =
        NliRequest.ofMnli(
            options.mnliDir,
            options.tokenizer,
            options.bertCheckpoint,
            train(2000, Integer.MAX_VALUE),
            Math.max(30, subset(300)),
            sweep("mnli", epochs(2), points(6)));
    String model = options.bertCheckpoint != null ? "BERT checkpoint" : "mini encoder from scratch";
    return new PlannedExperiment("mnli", model + " on MNLI", request, false, null);
  }

  private int train(int atScaleOne, int cap) {
    return (int) Math.min(cap, Math.max(MIN_TRAIN, Math.round(atScaleOne * options.scale)));
  }

  /** Measured subsets shrink only below scale 1, never below 5 examples per class. */
  private int subset(int atScaleOne) {
    return (int) Math.max(50, Math.round(atScaleOne * Math.min(1, options.scale)));
  }

  /** Epochs shrink only below scale 1: longer runs take more examples, not more passes. */
  private int epochs(int atScaleOne) {
    return (int) Math.max(1, Math.round(atScaleOne * Math.min(1, options.scale)));
  }

  private int points(int atScaleOne) {
    return (int) Math.max(3, Math.round(atScaleOne * Math.min(1, options.scale)));
  }

  private String missing(String name, String what) {
    return options.dataDir == null
        ? "no --data-dir (" + name + " is read from D/" + what + ")"
        : options.dataDir + " has no " + what;
  }

  private boolean hasFile(String subdirectory, String marker) {
    Path dataDir = options.dataDir;
    return dataDir != null
        && (Files.isRegularFile(dataDir.resolve(marker))
            || Files.isRegularFile(dataDir.resolve(subdirectory).resolve(marker)));
  }
}
