package org.stiffness.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stiffness.cli.reproduce.ClaimResult;
import org.stiffness.cli.reproduce.Claims;
import org.stiffness.cli.reproduce.ClassMatrices;
import org.stiffness.cli.reproduce.Evidence;
import org.stiffness.cli.reproduce.ReproductionMarkdown;
import org.stiffness.cli.reproduce.ReproductionReport;
import org.stiffness.io.ClassMatrixFile;
import org.stiffness.io.JsonSummary;
import org.stiffness.report.Figure;
import org.stiffness.summary.ExperimentSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The paper's experiments that the data at hand allows ({@link ReproductionPlan}), one after the
 * other, and a table of its claims with a verdict each ({@link Claims}). Each experiment is a typed
 * {@code vision} or {@code nlp} request run in this process through the code its command runs, so
 * it writes exactly what the equivalent command line would have written (summary, matrices, plots,
 * report) under {@code DIR/<experiment>/}.
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

  /**
   * The largest --scale: about 100 hours of training at scale 1's six minutes, and every size it
   * multiplies (300 examples x 100 epochs at most) stays far inside an int.
   */
  static final double MAX_SCALE = 1000;

  @Spec CommandLine.Model.CommandSpec spec;

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

  @Override
  public Integer call() throws IOException {
    Device onDevice = validate();
    long started = System.nanoTime();
    List<ReproductionReport.Experiment> experiments = new ArrayList<>();
    List<ClaimResult> rows = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    ReproductionPlan plan = new ReproductionPlan(this, onDevice);
    Path written;
    OutputDirectory opened;
    try {
      // Not resumable: each experiment is a vision run of its own; a rerun starts them over.
      opened = OutputDirectory.create(out, CommandIdentity.of(spec), false);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    try (OutputDirectory directory = opened) {
      List<PlannedExperiment> plans;
      try {
        plans = plan.experiments(err);
      } catch (IllegalArgumentException e) {
        throw bad(e.getMessage());
      }
      int toRun = (int) plans.stream().filter(p -> p.notRun() == null).count();
      int index = 0;
      for (PlannedExperiment p : plans) {
        String command = p.command();
        if (p.notRun() != null) {
          experiments.add(
              new ReproductionReport.Experiment(
                  p.name(), p.description(), "not run", p.notRun(), command, 0));
          rows.addAll(Claims.notRun(p.claims(), p.name(), p.notRun()));
          continue;
        }
        index++;
        String tag = "reproduce: [" + index + "/" + toRun + "] " + p.name();
        err.println(tag + ": " + command);
        err.flush();
        Path dir = directory.path().resolve(p.name());
        long start = System.nanoTime();
        String why = runAndJudge(p, dir, rows);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (why != null) {
          failed.add(p.name());
          rows.addAll(Claims.notRun(p.claims(), p.name(), why));
        }
        experiments.add(
            new ReproductionReport.Experiment(
                p.name(), p.description(), why == null ? "ran" : "failed", why, command, seconds));
        err.println(
            String.format(
                Locale.ROOT, "%s: %s in %.0f s", tag, why == null ? "done" : why, seconds));
        err.flush();
      }
      ObjectNode settings = settings(plan);
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

  /**
   * Checks the options, before anything is written.
   *
   * @return the device every experiment computes on
   */
  private Device validate() {
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
    try {
      return new Converters.DeviceName().convert(device);
    } catch (CommandLine.TypeConversionException e) {
      throw bad("--device: " + e.getMessage());
    }
  }

  /**
   * Runs one experiment into {@code dir} and adds its verdicts to {@code rows}; its "wrote" line
   * and any error go to stderr, as the experiment's command would have printed them.
   *
   * @return null, or why it has no verdicts: the run failed, or its summary could not be judged
   */
  private String runAndJudge(PlannedExperiment p, Path dir, List<ClaimResult> rows) {
    CommandLine cli = spec.commandLine();
    List<Figure> figures;
    try {
      figures = p.request().into(dir).run(cli, cli.getErr());
    } catch (IOException | RuntimeException e) {
      int code = StiffnessCli.reportError(e, cli);
      return "the run failed (exit code " + code + "; its error is on stderr)";
    }
    try {
      rows.addAll(judge(p, dir, figures));
      return null;
    } catch (IOException | RuntimeException e) {
      return "its summary could not be judged: " + e.getMessage();
    }
  }

  private static List<ClaimResult> judge(PlannedExperiment p, Path dir, List<Figure> figures)
      throws IOException {
    Path file = dir.resolve("summary.json");
    ExperimentSummary summary;
    try {
      summary = JsonSummary.mapper().readValue(file.toFile(), ExperimentSummary.class);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    ClassMatrices matrices =
        path -> {
          if (path == null) {
            throw new IllegalArgumentException("a pairing names no class_cos_matrix");
          }
          return ClassMatrixFile.read(dir.resolve(path));
        };
    try {
      return Claims.judge(p.claims(), new Evidence(p.name(), summary, matrices, figures));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private ObjectNode settings(ReproductionPlan plan) {
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
    settings.set("scaled_to_data", plan.scaledToData());
    settings.set("data_sources", plan.dataSources());
    return settings;
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
