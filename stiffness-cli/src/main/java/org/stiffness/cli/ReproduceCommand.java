package org.stiffness.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stiffness.cli.reproduce.Claim;
import org.stiffness.cli.reproduce.ClaimResult;
import org.stiffness.cli.reproduce.Claims;
import org.stiffness.cli.reproduce.ClassMatrices;
import org.stiffness.cli.reproduce.ReproductionMarkdown;
import org.stiffness.cli.reproduce.ReproductionReport;
import org.stiffness.datasets.Cifar10;
import org.stiffness.datasets.Cifar100;
import org.stiffness.datasets.FashionMnist;
import org.stiffness.io.JsonSummary;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyDtype;
import org.stiffness.io.NpyReader;
import org.stiffness.summary.ExperimentSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The paper's experiments that the data at hand allows, one after the other, and a table of its
 * claims with a verdict each ({@link Claims}). Each experiment is a {@code vision} or {@code nlp}
 * run executed in this process through its own command, so it is exactly what that command line
 * would have written (summary, matrices, plots, report) under {@code DIR/<experiment>/}.
 */
@Command(
    name = "reproduce",
    header = "Runs the paper's experiments that the data at hand allows and judges its claims.",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the paper's experiments that the data at hand allows, scaled to minutes on two"
          + " shared CPU cores (README.md quotes a measured run; --scale for longer), and judges the paper's claims on their"
          + " summaries: within- vs between-class stiffness, decay with input distance, the"
          + " critical length xi against training time and learning rate, class groups, and"
          + " stiffness when the model overfits (docs/reproduction.md).",
      "Always: fc and cnn on Fashion-MNIST (Debian's dataset-fashion-mnist, or --data-dir"
          + " D/fashion-mnist; the built-in digits when neither exists) and fc trained on 300"
          + " examples until it overfits. With --data-dir D: MNIST (D/mnist), CIFAR-10"
          + " (D/cifar-10-batches-bin) and CIFAR-100 (D/cifar-100-binary). With --mnli-dir: MNLI.",
      "Writes DIR/reproduction.html, DIR/reproduction.json, DIR/reproduction.md and each experiment's directory;"
          + " The results appear in DIR only when complete."
    })
final class ReproduceCommand implements Callable<Integer> {

  /** Training-set sizes the scale cannot exceed, per dataset. */
  private static final int DIGITS_TRAIN = 1297;

  private static final int IMAGES_TRAIN = 50_000;

  /**
   * How a vision experiment trains at scale 1: the model, class-balanced training examples, the
   * learning rates (one run each) and the log-spaced checkpoints. Sized so that the three
   * always-run experiments take about 10 minutes on two shared cores (docs/reproduction.md).
   */
  private record Recipe(String model, int trainSize, String lrs, int points) {}

  private static final Recipe FC = new Recipe("fc", 20_000, "1e-4,1e-3,1e-2", 12);

  private static final Recipe CNN = new Recipe("cnn", 12_000, "1e-3,1e-2", 10);

  private static final Recipe CIFAR100_CNN = new Recipe("cnn", 20_000, "1e-3,1e-2", 10);

  /**
   * The fewest training examples an experiment is scaled down to: below it, the fixed measured
   * subsets (50 examples at the smallest scale) and ten classes leave too little to train on.
   */
  static final int MIN_TRAIN = 100;

  /**
   * The largest --scale: about 100 hours of training at scale 1's six minutes, and every size it
   * multiplies (300 examples x 100 epochs at most) stays far inside an int.
   */
  static final double MAX_SCALE = 1000;

  /** Epochs of every vision experiment but the overfitting one, at scale 1. */
  private static final int EPOCHS = 5;

  @Spec CommandLine.Model.CommandSpec spec;

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

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (created; must be missing or empty).")
  Path out;

  @Option(
      names = "--dataset",
      defaultValue = "fashion-mnist",
      paramLabel = "NAME",
      description =
          "Dataset of the experiments that always run (default: ${DEFAULT-VALUE}): fashion-mnist,"
              + " or digits; the built-in digits, with a note, when fashion-mnist is not found.")
  String dataset;

  @Option(
      names = "--scale",
      defaultValue = "1",
      paramLabel = "F",
      description =
          "Size factor (default: ${DEFAULT-VALUE}): multiplies the training-set sizes (and,"
              + " below 1, the epochs, measured subsets and points) and the overfitting run's"
              + " epochs; the training time grows about in proportion (README.md quotes the time of"
              + " scale 1).")
  double scale;

  @Option(
      names = "--data-dir",
      paramLabel = "D",
      description =
          "Data directory, as for vision: any of mnist/ and fashion-mnist/ (the four IDX files),"
              + " cifar-10-batches-bin/ and cifar-100-binary/ (the binary versions).")
  Path dataDir;

  @Option(
      names = "--mnli-dir",
      paramLabel = "D",
      description = "MNLI, as for stiffness nlp; needs --tokenizer or --bert-checkpoint.")
  Path mnliDir;

  @Option(
      names = "--tokenizer",
      paramLabel = "T",
      description = "tokenizer.json for the MNLI encoder trained from scratch (mini).")
  Path tokenizer;

  @Option(
      names = "--bert-checkpoint",
      paramLabel = "C",
      description = "HuggingFace BERT checkpoint directory to fine-tune on MNLI instead.")
  Path bertCheckpoint;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      description = "Seed of every experiment (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      paramLabel = "DEVICE",
      description = "cpu, gpu or gpuN (default: ${DEFAULT-VALUE}).")
  String device;

  /**
   * One experiment: its name (the directory), the subcommand line that runs it, the claims it is
   * judged on, or why it does not run.
   */
  private record Plan(
      String name, String description, List<String> args, boolean overfits, String notRun) {

    static Plan absent(String name, String description, String why) {
      return new Plan(name, description, List.of(), false, why);
    }

    List<Claim> claims() {
      return overfits ? List.of(Claim.GENERALISATION) : Claims.STANDARD;
    }
  }

  @Override
  public Integer call() throws IOException {
    validate();
    long started = System.nanoTime();
    List<ReproductionReport.Experiment> experiments = new ArrayList<>();
    List<ClaimResult> rows = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    Path written;
    OutputDirectory opened;
    try {
      // Not resumable: each experiment is a vision run of its own; a rerun starts them over.
      opened = OutputDirectory.create(out, CommandIdentity.of(spec), false);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    try (OutputDirectory directory = opened) {
      List<Plan> plans = plan(err);
      int toRun = (int) plans.stream().filter(p -> p.notRun() == null).count();
      int index = 0;
      for (Plan plan : plans) {
        String command = command(plan);
        if (plan.notRun() != null) {
          experiments.add(
              new ReproductionReport.Experiment(
                  plan.name(), plan.description(), "not run", plan.notRun(), command, 0));
          rows.addAll(Claims.notRun(plan.claims(), plan.name(), plan.notRun()));
          continue;
        }
        index++;
        String tag = "reproduce: [" + index + "/" + toRun + "] " + plan.name();
        err.println(tag + ": " + command);
        err.flush();
        Path dir = directory.path().resolve(plan.name());
        long start = System.nanoTime();
        int code = execute(plan, dir);
        double seconds = (System.nanoTime() - start) / 1e9;
        String why = null;
        if (code != 0) {
          why = "the run failed (exit code " + code + "; its error is on stderr)";
        } else {
          try {
            rows.addAll(judge(plan, dir));
          } catch (IOException | RuntimeException e) {
            why = "its summary could not be judged: " + e.getMessage();
          }
        }
        if (why != null) {
          failed.add(plan.name());
          rows.addAll(Claims.notRun(plan.claims(), plan.name(), why));
        }
        experiments.add(
            new ReproductionReport.Experiment(
                plan.name(),
                plan.description(),
                why == null ? "ran" : "failed",
                why,
                command,
                seconds));
        err.println(
            String.format(
                Locale.ROOT, "%s: %s in %.0f s", tag, why == null ? "done" : why, seconds));
        err.flush();
      }
      ObjectNode settings = settings();
      ReproductionReport.write(directory.path(), settings, experiments, rows);
      ReproductionMarkdown.write(
          directory.path(),
          ReproductionMarkdown.Provenance.ofThisRun((System.nanoTime() - started) / 1e9),
          settings,
          experiments,
          rows);
      written = directory.commit().resolve(ReproductionReport.HTML);
    }
    spec.commandLine().getOut().println("wrote " + written);
    spec.commandLine().getOut().flush();
    if (!failed.isEmpty()) {
      err.println("stiffness: experiments failed: " + String.join(", ", failed));
      err.flush();
      return StiffnessCli.FAILED;
    }
    return 0;
  }

  private void validate() {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw bad("--scale must be a positive number, got " + scale);
    }
    if (scale > MAX_SCALE) {
      throw bad(
          "--scale must be at most "
              + (int) MAX_SCALE
              + " (about 100 hours of training), got "
              + scale);
    }
    if (!dataset.equals("fashion-mnist") && !dataset.equals("digits")) {
      throw bad("unknown --dataset '" + dataset + "': expected fashion-mnist or digits");
    }
    if (dataDir != null && !Files.isDirectory(dataDir)) {
      throw bad("--data-dir " + dataDir + " is not a directory");
    }
    // The MNLI run comes last: its options are checked now, not after the vision runs.
    if (mnliDir != null) {
      if (!Files.isDirectory(mnliDir)) {
        throw bad("--mnli-dir " + mnliDir + " is not a directory");
      }
      if (tokenizer == null && bertCheckpoint == null) {
        throw bad("--mnli-dir needs --tokenizer (encoder from scratch) or --bert-checkpoint");
      }
      if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
        throw bad("--tokenizer " + tokenizer + " is not a file");
      }
      if (bertCheckpoint != null && !Files.isDirectory(bertCheckpoint)) {
        throw bad("--bert-checkpoint " + bertCheckpoint + " is not a directory");
      }
    } else if (tokenizer != null || bertCheckpoint != null) {
      throw bad("--tokenizer and --bert-checkpoint are for MNLI: give --mnli-dir too");
    }
  }

  /** The experiments, in the order they run; those the data does not allow carry why. */
  private List<Plan> plan(PrintWriter err) {
    List<Plan> plans = new ArrayList<>();
    String main = dataset;
    List<String> mainData = List.of();
    int mainAvailable = IMAGES_TRAIN;
    if (main.equals("fashion-mnist")) {
      Path own = dataDir == null ? null : dataDir.resolve("fashion-mnist");
      if (own != null && hasIdx(own)) {
        // The same --data-dir as given: vision reads D/fashion-mnist/ from it, one layout for both.
        mainData = List.of("--data-dir", dataDir.toString());
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
    } else if (!mainData.isEmpty()) {
      dataSources.put(main, "directory " + dir(dataDir.resolve("fashion-mnist")));
    } else {
      dataSources.put(main, "directory " + dir(FashionMnist.DEBIAN_DIRECTORY) + " (Debian's)");
    }
    int cap = main.equals("digits") ? DIGITS_TRAIN : mainAvailable;
    plans.add(vision(main + "-fc", main, mainData, FC, cap));
    plans.add(vision(main + "-cnn", main, mainData, CNN, cap));
    plans.add(overfit(main, mainData, cap));

    Path mnist = dataDir == null ? null : dataDir.resolve("mnist");
    if (mnist != null && hasIdx(mnist)) {
      List<String> data = List.of("--data-dir", dataDir.toString());
      int available = Math.min(IMAGES_TRAIN, trainingExamples(mnist));
      dataSources.put("mnist", "directory " + dir(mnist));
      plans.add(vision("mnist-fc", "mnist", data, FC, available));
      plans.add(vision("mnist-cnn", "mnist", data, CNN, available));
    } else {
      String why = missing("MNIST", "mnist/ with its four IDX files");
      plans.add(Plan.absent("mnist-fc", "fc on MNIST", why));
      plans.add(Plan.absent("mnist-cnn", "cnn on MNIST", why));
    }
    if (hasFile("cifar-10-batches-bin", "batches.meta.txt")) {
      List<String> data = List.of("--data-dir", dataDir.toString());
      dataSources.put("cifar10", "directory " + dir(cifarDirectory(true)));
      plans.add(vision("cifar10-cnn", "cifar10", data, CNN, IMAGES_TRAIN));
    } else {
      plans.add(
          Plan.absent(
              "cifar10-cnn",
              "cnn on CIFAR-10",
              missing("CIFAR-10", "cifar-10-batches-bin/ (the binary version)")));
    }
    if (hasFile("cifar-100-binary", "fine_label_names.txt")) {
      List<String> data = List.of("--data-dir", dataDir.toString());
      dataSources.put("cifar100", "directory " + dir(cifarDirectory(false)));
      Plan p = vision("cifar100-cnn", "cifar100", data, CIFAR100_CNN, IMAGES_TRAIN);
      // 1000, not the paper's 3000, whose Gram matrices are 9 times as large (untimed here: no
      // CIFAR-100 on the development machine); 10 examples per class still fill every cell.
      List<String> args = new ArrayList<>(p.args());
      args.addAll(List.of("--subset-size", String.valueOf(subset(1000))));
      plans.add(new Plan(p.name(), p.description(), args, false, null));
    } else {
      plans.add(
          Plan.absent(
              "cifar100-cnn",
              "cnn on CIFAR-100",
              missing("CIFAR-100", "cifar-100-binary/ (the binary version)")));
    }
    plans.add(mnli());
    if (mnliDir != null) {
      dataSources.put("mnli", "MNLI in directory " + dir(mnliDir));
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
      return cifar10 ? Cifar10.locate(dataDir) : Cifar100.locate(dataDir);
    } catch (java.nio.file.NoSuchFileException e) {
      // Called only once hasFile has found the files.
      return dataDir;
    }
  }

  /**
   * Training examples in {@code dir}'s IDX training labels (the count in their header), refused
   * below {@link #MIN_TRAIN}; a header that cannot be read is left to the experiment's own reader,
   * which names what is wrong.
   */
  private int trainingExamples(Path dir) {
    int n = IdxLabelCount.train(dir);
    if (n < 0) {
      return IMAGES_TRAIN;
    }
    if (n < MIN_TRAIN) {
      throw bad(
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
  private int trainSize(String experiment, String data, int scaled, int available) {
    if (scaled <= available) {
      return scaled;
    }
    scaledToData
        .putObject(experiment)
        .put("dataset", data)
        .put("asked", scaled)
        .put("train_size", available);
    return available;
  }

  /**
   * @param available the training examples there are: a scaled size beyond them is cut to them
   */
  private Plan vision(
      String name, String data, List<String> dataArgs, Recipe recipe, int available) {
    String model = recipe.model();
    String lrs = recipe.lrs();
    List<String> args = new ArrayList<>(List.of("vision", "--dataset", data));
    args.addAll(dataArgs);
    int size = trainSize(name, data, train(recipe.trainSize(), Integer.MAX_VALUE), available);
    args.addAll(List.of("--model", model, "--train-size", String.valueOf(size)));
    args.addAll(List.of("--epochs", String.valueOf(epochs(EPOCHS)), "--lr", lrs));
    args.addAll(List.of("--points", String.valueOf(points(recipe.points()))));
    if (!data.equals("cifar100")) {
      args.addAll(List.of("--subset-size", String.valueOf(subset(500))));
    }
    return new Plan(
        name, model + " on " + data + ", learning rates " + lrs, common(args), false, null);
  }

  /**
   * A training set small enough that the fc net memorises it within the run: 300 examples (at scale
   * 1), 100 epochs, validation loss passes its minimum early and rises.
   */
  private Plan overfit(String data, List<String> dataArgs, int available) {
    String name = data + "-overfit";
    int n =
        trainSize(name, data, Math.max(50, (int) Math.round(300 * Math.min(1, scale))), available);
    int epochs = Math.max(1, (int) Math.round(100 * scale));
    List<String> args = new ArrayList<>(List.of("vision", "--dataset", data));
    args.addAll(dataArgs);
    args.addAll(List.of("--model", "fc", "--train-size", String.valueOf(n)));
    args.addAll(List.of("--epochs", String.valueOf(epochs), "--lr", "1e-3"));
    // Every training example is measured (the subset is the training set, as small as it is).
    args.addAll(List.of("--points", String.valueOf(points(12))));
    args.addAll(List.of("--subset-size", String.valueOf(Math.min(300, n))));
    return new Plan(
        name,
        "fc on " + n + " examples of " + data + " for " + epochs + " epochs, learning rate 1e-3",
        common(args),
        true,
        null);
  }

  private Plan mnli() {
    if (mnliDir == null) {
      return Plan.absent("mnli", "BERT-style encoder on MNLI", "no --mnli-dir");
    }
    List<String> args = new ArrayList<>(List.of("nlp", "--mnli-dir", mnliDir.toString()));
    if (bertCheckpoint != null) {
      args.addAll(List.of("--bert-checkpoint", bertCheckpoint.toString()));
    }
    if (tokenizer != null) {
      args.addAll(List.of("--tokenizer", tokenizer.toString()));
    }
    args.addAll(List.of("--train-size", String.valueOf(train(2000, Integer.MAX_VALUE))));
    args.addAll(
        List.of("--epochs", String.valueOf(epochs(2)), "--points", String.valueOf(points(6))));
    args.addAll(List.of("--subset-size", String.valueOf(Math.max(30, subset(300)))));
    String model = bertCheckpoint != null ? "BERT checkpoint" : "mini encoder from scratch";
    return new Plan("mnli", model + " on MNLI", common(args), false, null);
  }

  private List<String> common(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--seed", String.valueOf(seed), "--device", device));
    return all;
  }

  private int train(int atScaleOne, int cap) {
    return (int) Math.min(cap, Math.max(MIN_TRAIN, Math.round(atScaleOne * scale)));
  }

  /** Measured subsets shrink only below scale 1, never below 5 examples per class. */
  private int subset(int atScaleOne) {
    return (int) Math.max(50, Math.round(atScaleOne * Math.min(1, scale)));
  }

  /** Epochs shrink only below scale 1: longer runs take more examples, not more passes. */
  private int epochs(int atScaleOne) {
    return (int) Math.max(1, Math.round(atScaleOne * Math.min(1, scale)));
  }

  private int points(int atScaleOne) {
    return (int) Math.max(3, Math.round(atScaleOne * Math.min(1, scale)));
  }

  private String missing(String name, String what) {
    return dataDir == null
        ? "no --data-dir (" + name + " is read from D/" + what + ")"
        : dataDir + " has no " + what;
  }

  private boolean hasFile(String subdirectory, String marker) {
    return dataDir != null
        && (Files.isRegularFile(dataDir.resolve(marker))
            || Files.isRegularFile(dataDir.resolve(subdirectory).resolve(marker)));
  }

  /** MNIST's and Fashion-MNIST's four IDX files, each possibly gzipped. */
  private static boolean hasIdx(Path dir) {
    for (String stem :
        List.of(
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte")) {
      if (!Files.isRegularFile(dir.resolve(stem))
          && !Files.isRegularFile(dir.resolve(stem + ".gz"))) {
        return false;
      }
    }
    return true;
  }

  /** Runs the experiment's subcommand in this process; its "wrote" line goes to stderr. */
  private int execute(Plan plan, Path dir) {
    CommandLine sub = spec.commandLine().getParent().getSubcommands().get(plan.args().get(0));
    List<String> args = new ArrayList<>(plan.args().subList(1, plan.args().size()));
    args.addAll(List.of("--out", dir.toString()));
    PrintWriter ownOut = sub.getOut();
    sub.setOut(spec.commandLine().getErr());
    try {
      return sub.execute(args.toArray(String[]::new));
    } finally {
      sub.setOut(ownOut);
    }
  }

  private static List<ClaimResult> judge(Plan plan, Path dir) throws IOException {
    Path file = dir.resolve("summary.json");
    ExperimentSummary summary;
    try {
      summary = JsonSummary.mapper().readValue(file.toFile(), ExperimentSummary.class);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    ClassMatrices matrices = path -> classMatrix(dir, path);
    try {
      return plan.overfits()
          ? List.of(Claims.generalisation(plan.name(), summary, matrices))
          : Claims.evaluate(plan.name(), summary, matrices);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** A square class matrix from its {@code .npy} file, as float64. */
  static double[][] classMatrix(Path dir, String path) throws IOException {
    if (path == null) {
      throw new IllegalArgumentException("a pairing names no class_cos_matrix");
    }
    Path file = dir.resolve(path);
    NpyArray a = NpyReader.read(file);
    long[] shape = a.shape();
    if (shape.length != 2 || shape[0] != shape[1]) {
      throw new IOException(file + ": expected a square 2-D class matrix");
    }
    int n = (int) shape[0];
    double[] flat;
    if (a.dtype() == NpyDtype.FLOAT64) {
      flat = a.doubles();
    } else if (a.dtype() == NpyDtype.FLOAT32) {
      float[] f = a.floats();
      flat = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        flat[i] = f[i];
      }
    } else {
      throw new IOException(file + ": expected float32 or float64, found " + a.dtype());
    }
    double[][] m = new double[n][n];
    for (int r = 0; r < n; r++) {
      System.arraycopy(flat, r * n, m[r], 0, n);
    }
    return m;
  }

  private static String command(Plan plan) {
    return plan.args().isEmpty()
        ? ""
        : "stiffness " + String.join(" ", plan.args()) + " --out DIR/" + plan.name();
  }

  private ObjectNode settings() {
    ObjectNode settings =
        JsonSummary.mapper()
            .createObjectNode()
            .put("dataset", dataset)
            .put("scale", scale)
            .put("seed", seed)
            .put("device", device)
            .put("data_dir", dataDir == null ? null : dataDir.toAbsolutePath().toString())
            .put("mnli_dir", mnliDir == null ? null : mnliDir.toAbsolutePath().toString())
            // The launcher's `git describe` of the checkout (null outside one).
            .put("commit", System.getenv("STIFFNESS_COMMIT"));
    settings.set("scaled_to_data", scaledToData);
    settings.set("data_sources", dataSources);
    return settings;
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
