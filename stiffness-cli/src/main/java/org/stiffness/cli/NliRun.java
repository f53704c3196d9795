package org.stiffness.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.stiffness.io.JsonSummary;
import org.stiffness.nlp.experiment.NliExperiment;
import org.stiffness.nlp.mnli.MnliDirectory;
import org.stiffness.nlp.mnli.NliLabel;
import org.stiffness.nlp.mnli.SyntheticNli;
import org.stiffness.nlp.model.SavedBert;
import org.stiffness.report.Figure;
import org.stiffness.stats.DistanceBins;
import org.stiffness.summary.ExperimentSummary;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Runs one {@link NliRequest}: checks it, finds MNLI (or generates the synthetic pairs), trains or
 * fine-tunes and measures, plots and writes the report, through the output directory's staging
 * area. What {@code stiffness nlp} runs for its options, and {@code reproduce} for its MNLI
 * experiment.
 */
final class NliRun {
  /** Training pairs of {@code --synthetic} with {@code --train-size 0} (all). */
  static final int SYNTHETIC_TRAIN = 2000;

  private final CommandLine cli;
  private final PrintWriter out;
  private final PrintWriter err;

  /**
   * @param cli the command bad settings are reported against (exit code 2), and whose stderr shows
   *     the progress
   * @param out where the "wrote" line goes
   */
  NliRun(CommandLine cli, PrintWriter out) {
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
  List<Figure> run(NliRequest request, CommandIdentity identity) throws IOException {
    try {
      request.validate();
      if (request.trainSize() > 0) {
        // With 0 (all of train) the size is known only once MNLI is read; a run that long then
        // stops at Training's own check.
        request.sweep().checkTrainingLength(request.trainSize());
      }
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    if (request.synthetic()) {
      Path generated = Files.createTempDirectory("stiffness-synthetic-nli");
      try {
        String dataSource = generatedData(request, generated);
        return run(
            request, identity, generated, generated.resolve(SyntheticNli.TOKENIZER), dataSource);
      } finally {
        deleteTree(generated);
      }
    }
    Path tokenizer = request.tokenizer();
    Path tokenizerJson =
        tokenizer != null ? tokenizer : request.checkpoint().resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizerJson)) {
      throw bad(
          tokenizerJson
              + " is not a file: give --tokenizer (a tokenizer.json)"
              + (tokenizer == null ? "; the checkpoint directory has none" : ""));
    }
    Path mnliDir = request.mnliDir();
    try {
      // Its files are looked for now, so that a missing one is the run's only line.
      MnliDirectory.find(mnliDir);
    } catch (NoSuchFileException e) {
      throw bad("missing " + e.getFile() + (e.getReason() == null ? "" : ": " + e.getReason()));
    }
    String dataSource = "MNLI in directory " + mnliDir.toAbsolutePath().normalize();
    return run(request, identity, mnliDir, tokenizerJson, dataSource);
  }

  /**
   * Writes the synthetic task into {@code dir}: as many training pairs as {@code --train-size} (all
   * of them, {@value #SYNTHETIC_TRAIN}, for 0), and dev pairs enough for {@code --val-size} and the
   * measured subsets. The seed is {@code --seed}, so a rerun writes the same pairs and an
   * interrupted run continues on the same data.
   *
   * @return where the data come from, in words
   */
  private static String generatedData(NliRequest request, Path dir) throws IOException {
    int train = request.trainSize() > 0 ? request.trainSize() : SYNTHETIC_TRAIN;
    int valSize = request.valSize();
    int dev = Math.max(3, Math.max(valSize > 0 ? valSize : train / 4, request.subsetSize()));
    long seed = request.sweep().seed();
    SyntheticNli.writeGlueDirectory(dir, Math.max(train, 3), dev, seed);
    return String.format(
        Locale.ROOT,
        "synthetic NLI pairs (generated, not MNLI: %d train, %d in each dev split, seed %d)",
        Math.max(train, 3),
        dev,
        seed);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private List<Figure> run(
      NliRequest request,
      CommandIdentity identity,
      Path data,
      Path tokenizerJson,
      String dataSource)
      throws IOException {
    SweepSettings sweep = request.sweep();
    DeviceCheck.require(cli, sweep.device(), "");
    Path checkpoint = request.checkpoint();
    NliExperiment.ModelChoice model =
        checkpoint != null
            ? NliExperiment.ModelChoice.pretrained(checkpoint)
            : NliExperiment.ModelChoice.fromScratch(
                request.size(),
                request.sizeConfig().withInitializerRange(request.initializerRange()));
    List<Double> lrs;
    try {
      lrs =
          SweepSettings.learningRates(
              request.learningRates(),
              checkpoint != null ? List.of(2e-5, 1e-4) : List.of(1e-4, 3e-4));
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    NliExperiment.Config config =
        new NliExperiment.Config(
            lrs,
            sweep.optimizerKind(),
            sweep.batchSize(),
            sweep.epochs(),
            request.trainSize(),
            request.valSize(),
            request.subsetSize(),
            request.maxLength(),
            sweep.seed(),
            sweep.schedule(),
            sweep.device(),
            // Bag-of-token counts are non-negative, so their cosine distance lies in [0, 1].
            sweep
                .measurement()
                .withBins(DistanceBins.uniform(DistanceBins.DEFAULT_COUNT, 0, 1))
                .withCheckpoints(sweep.saveCheckpoints() ? new SavedBert() : null));
    OutputDirectory opened;
    try {
      opened = SweepDirectory.open(sweep.out(), identity);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    try (OutputDirectory directory = opened;
        InterruptNotice notice =
            InterruptNotice.install(err, () -> directory.keptLine(lrs.size()))) {
      SweepDirectory.sayResuming(err, sweep.out(), directory, lrs.size());
      ExperimentSummary summary;
      NliExperiment experiment = new NliExperiment(data, tokenizerJson, model, config);
      try (ExperimentProgress progress =
          new ExperimentProgress(err, TileProgress.stderrIsTerminal())) {
        summary =
            experiment.run(
                directory.path(),
                directory.journal(),
                describe(request, dataSource),
                new DataSourceLine(FaultInjection.around(progress, err), err, dataSource));
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException(
            "missing " + e.getFile() + (e.getReason() == null ? "" : ": " + e.getReason()));
      } catch (IOException | RuntimeException e) {
        SweepDirectory.sayKept(err, directory, lrs.size());
        throw e;
      }
      err.println("stiffness: measurements: " + experiment.times());
      err.flush();
      List<Figure> figures = ReportFigures.write(summary, directory.path(), classNames(), null);
      Path report = directory.commit().resolve(ReportFigures.REPORT);
      out.println("wrote " + report);
      out.flush();
      return figures;
    }
  }

  private static List<String> classNames() {
    return Arrays.stream(NliLabel.values()).map(NliLabel::fileName).toList();
  }

  private static ObjectNode describe(NliRequest request, String dataSource) {
    return JsonSummary.mapper()
        .createObjectNode()
        .put("command", "nlp")
        .put("model", request.checkpoint() != null ? "bert checkpoint" : "bert " + request.size())
        .put("optimizer", request.sweep().optimizer())
        .put("data_source", dataSource)
        .put("synthetic", request.synthetic());
  }

  private ParameterException bad(String message) {
    return new ParameterException(cli, message);
  }
}
