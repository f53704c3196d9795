package org.stiffness.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stiffness.io.JsonSummary;
import org.stiffness.nlp.experiment.NliExperiment;
import org.stiffness.nlp.mnli.MnliDirectory;
import org.stiffness.nlp.mnli.NliLabel;
import org.stiffness.nlp.mnli.SyntheticNli;
import org.stiffness.nlp.model.BertCheckpoint;
import org.stiffness.nlp.model.BertConfig;
import org.stiffness.nlp.model.SavedBert;
import org.stiffness.report.HtmlReport;
import org.stiffness.stats.DistanceBins;
import org.stiffness.summary.ExperimentSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** BERT-style stiffness on MNLI: fine-tune or train, measure over training, plot, report. */
@Command(
    name = "nlp",
    header = "Trains a BERT-style model on MNLI or --synthetic pairs and measures its stiffness.",
    mixinStandardHelpOptions = true,
    description = {
      "Fine-tunes a BERT checkpoint (--bert-checkpoint) or trains a BERT-style encoder from"
          + " scratch (--model-size) on MNLI at one or more constant learning rates, and measures"
          + " exact sign and cosine stiffness over training on fixed label-balanced subsets of"
          + " train, dev_matched and dev_mismatched: classes are the 3 labels, and separately the"
          + " 10 genres form a grouping; input distance is the cosine distance of bag-of-token"
          + " counts (docs/nlp.md).",
      "Writes DIR/summary.json, the class and genre matrices (.npy), plots (DIR/plots) and"
          + " DIR/report.html, through DIR/.partial: they appear only when complete. An"
          + " interrupted run continues when rerun with the same options and DIR."
    })
final class NlpCommand implements Callable<Integer> {

  /** Training pairs of {@code --synthetic} with {@code --train-size 0} (all). */
  static final int SYNTHETIC_TRAIN = 2000;

  /** Where the data come from, in words: MNLI's directory or the synthetic task. */
  private String dataSource;

  @Mixin SweepOptions sweep;

  @Option(
      names = "--lr",
      split = ",",
      paramLabel = "LR[,LR...]",
      hideParamSyntax = true,
      converter = Converters.LearningRate.class,
      description =
          "Constant learning rates, one run each (default: 2e-5,1e-4 with --bert-checkpoint,"
              + " else 1e-4,3e-4).")
  List<Double> learningRates;

  @Option(
      names = "--mnli-dir",
      paramLabel = "D",
      description =
          "Directory with MNLI under its usual names: GLUE's train.tsv, dev_matched.tsv,"
              + " dev_mismatched.tsv, or MultiNLI 1.0's multinli_1.0_train.jsonl,"
              + " multinli_1.0_dev_matched.jsonl, multinli_1.0_dev_mismatched.jsonl. It or"
              + " --synthetic is required.")
  Path mnliDir;

  @Option(
      names = "--synthetic",
      description =
          "Instead of MNLI: generated premise/hypothesis pairs of a small learnable task, in"
              + " MNLI's format and with a tokenizer of their own words (no --tokenizer), to try"
              + " the command without MNLI. Not MNLI: the run says so, as does summary.json.")
  boolean synthetic;

  @Option(
      names = "--tokenizer",
      paramLabel = "T",
      description =
          "A local tokenizer.json (WordPiece, as BERT's). Default: tokenizer.json in the"
              + " --bert-checkpoint directory.")
  Path tokenizer;

  @Option(
      names = "--bert-checkpoint",
      paramLabel = "C",
      description =
          "HuggingFace BERT checkpoint directory (config.json, model.safetensors, usually"
              + " tokenizer.json) to fine-tune; parameters map by name, mismatches are listed.")
  Path checkpoint;

  @Option(
      names = "--model-size",
      paramLabel = "tiny|mini|small|base",
      description =
          "Encoder trained from scratch when no checkpoint is given (default: mini = 4 layers,"
              + " 256 hidden, 4 heads; base = BERT-base sizes).")
  String modelSize;

  @Option(
      names = "--initializer-range",
      defaultValue = "0.02",
      paramLabel = "STD",
      description =
          "Initial weights' standard deviation from scratch (default: ${DEFAULT-VALUE}, BERT's;"
              + " small encoders trained without warm-up learn more"
              + " reliably at about 0.1, see docs/nlp.md).")
  float initializerRange;

  @Option(
      names = "--max-length",
      defaultValue = "128",
      paramLabel = "L",
      description =
          "Tokens per pair incl. [CLS]/[SEP] (default: ${DEFAULT-VALUE}); longer ones are cut.")
  int maxLength;

  @Option(
      names = "--train-size",
      defaultValue = "2000",
      paramLabel = "N",
      description =
          "Label-balanced training pairs from train (default: ${DEFAULT-VALUE}); 0 = all.")
  int trainSize;

  @Option(
      names = "--val-size",
      defaultValue = "1000",
      paramLabel = "V",
      description =
          "Label-balanced pairs from each dev split (default: ${DEFAULT-VALUE}); 0 = all. Val"
              + " loss and accuracy are on the matched one.")
  int valSize;

  @Option(
      names = "--subset-size",
      defaultValue = "300",
      paramLabel = "M",
      description =
          "Pairs in each fixed measured subset (default: ${DEFAULT-VALUE}): train, val and"
              + " val_mismatched, label-balanced.")
  int subsetSize;

  @Override
  public Integer call() throws IOException {
    sweep.validate();
    validate();
    if (trainSize > 0) {
      // With 0 (all of train) the size is known only once MNLI is read; a run that long then
      // stops at Training's own check.
      sweep.checkTrainingLength(trainSize);
    }
    PrintWriter err = sweep.spec.commandLine().getErr();
    if (synthetic) {
      Path generated = Files.createTempDirectory("stiffness-synthetic-nli");
      try {
        return run(err, generatedData(generated), generated.resolve(SyntheticNli.TOKENIZER));
      } finally {
        deleteTree(generated);
      }
    }
    Path tokenizerJson = tokenizer != null ? tokenizer : checkpoint.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizerJson)) {
      throw sweep.bad(
          tokenizerJson
              + " is not a file: give --tokenizer (a tokenizer.json)"
              + (tokenizer == null ? "; the checkpoint directory has none" : ""));
    }
    try {
      // Its files are looked for now, so that a missing one is the run's only line.
      MnliDirectory.find(mnliDir);
    } catch (NoSuchFileException e) {
      throw sweep.bad(
          "missing " + e.getFile() + (e.getReason() == null ? "" : ": " + e.getReason()));
    }
    dataSource = "MNLI in directory " + mnliDir.toAbsolutePath().normalize();
    return run(err, mnliDir, tokenizerJson);
  }

  /**
   * Writes the synthetic task into {@code dir}: as many training pairs as {@code --train-size} (all
   * of them, {@value #SYNTHETIC_TRAIN}, for 0), and dev pairs enough for {@code --val-size} and the
   * measured subsets. The seed is {@code --seed}, so a rerun writes the same pairs and an
   * interrupted run continues on the same data.
   */
  private Path generatedData(Path dir) throws IOException {
    int train = trainSize > 0 ? trainSize : SYNTHETIC_TRAIN;
    int dev = Math.max(3, Math.max(valSize > 0 ? valSize : train / 4, subsetSize));
    SyntheticNli.writeGlueDirectory(dir, Math.max(train, 3), dev, sweep.seed);
    dataSource =
        String.format(
            Locale.ROOT,
            "synthetic NLI pairs (generated, not MNLI: %d train, %d in each dev split, seed %d)",
            Math.max(train, 3),
            dev,
            sweep.seed);
    return dir;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private int run(PrintWriter err, Path data, Path tokenizerJson) throws IOException {
    sweep.engine.requireDevice(sweep.spec.commandLine());
    NliExperiment.ModelChoice model =
        checkpoint != null
            ? NliExperiment.ModelChoice.pretrained(checkpoint)
            : NliExperiment.ModelChoice.fromScratch(
                size(), sizeConfig().withInitializerRange(initializerRange));
    List<Double> lrs =
        sweep.learningRates(
            learningRates, checkpoint != null ? List.of(2e-5, 1e-4) : List.of(1e-4, 3e-4));
    NliExperiment.Config config =
        new NliExperiment.Config(
            lrs,
            sweep.optimizerKind(),
            sweep.batchSize,
            sweep.epochs,
            trainSize,
            valSize,
            subsetSize,
            maxLength,
            sweep.seed,
            sweep.schedule(),
            sweep.engine.device,
            // Bag-of-token counts are non-negative, so their cosine distance lies in [0, 1].
            sweep
                .measurement()
                .withBins(DistanceBins.uniform(DistanceBins.DEFAULT_COUNT, 0, 1))
                .withCheckpoints(sweep.saveCheckpoints ? new SavedBert() : null));
    try (OutputDirectory directory = sweep.outputDirectory(CommandIdentity.of(sweep.spec));
        InterruptNotice notice =
            InterruptNotice.install(err, () -> directory.keptLine(lrs.size()))) {
      sweep.sayResuming(directory, lrs.size());
      ExperimentSummary summary;
      NliExperiment experiment = new NliExperiment(data, tokenizerJson, model, config);
      try (ExperimentProgress progress =
          new ExperimentProgress(err, TileProgress.stderrIsTerminal())) {
        summary =
            experiment.run(
                directory.path(),
                directory.journal(),
                describe(tokenizerJson),
                new DataSourceLine(FaultInjection.around(progress, err), err, dataSource));
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException(
            "missing " + e.getFile() + (e.getReason() == null ? "" : ": " + e.getReason()));
      } catch (IOException | RuntimeException e) {
        sweep.sayKept(directory, lrs.size());
        throw e;
      }
      err.println("stiffness: measurements: " + experiment.times());
      err.flush();
      HtmlReport.generate(summary, directory.path(), classNames(), null);
      Path report = directory.commit().resolve(HtmlReport.FILE_NAME);
      sweep.spec.commandLine().getOut().println("wrote " + report);
      sweep.spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private void validate() {
    if (synthetic) {
      if (mnliDir != null) {
        throw sweep.bad("give --mnli-dir or --synthetic, not both");
      }
      if (tokenizer != null || checkpoint != null) {
        throw sweep.bad(
            "--synthetic brings its own tokenizer and trains from scratch: leave out --tokenizer"
                + " and --bert-checkpoint");
      }
    } else if (mnliDir == null) {
      throw sweep.bad(
          "give --mnli-dir D (a directory with MNLI) or --synthetic (generated pairs, to try the"
              + " command without MNLI)");
    } else if (!Files.isDirectory(mnliDir)) {
      throw sweep.bad("--mnli-dir " + mnliDir + " is not a directory");
    }
    if (checkpoint != null && modelSize != null) {
      throw sweep.bad("give --bert-checkpoint or --model-size, not both");
    }
    if (checkpoint != null && !Files.isDirectory(checkpoint)) {
      throw sweep.bad("--bert-checkpoint " + checkpoint + " is not a directory");
    }
    if (checkpoint != null) {
      // Checked before the training file is read (minutes for all of MNLI), not after.
      for (String name : List.of(BertCheckpoint.CONFIG, BertCheckpoint.WEIGHTS)) {
        if (!Files.isRegularFile(checkpoint.resolve(name))) {
          throw sweep.bad(
              "--bert-checkpoint "
                  + checkpoint
                  + " has no "
                  + name
                  + " (a HuggingFace BERT checkpoint directory holds config.json and"
                  + " model.safetensors)");
        }
      }
    }
    if (tokenizer == null && checkpoint == null && !synthetic) {
      throw sweep.bad("--tokenizer is required when no --bert-checkpoint is given");
    }
    if (checkpoint == null) {
      sizeConfig(); // rejects an unknown size now, before any output exists
    }
    if (!(initializerRange > 0) || Float.isInfinite(initializerRange)) {
      throw sweep.bad("--initializer-range must be a positive number, got " + initializerRange);
    }
    if (checkpoint != null && initializerRange != 0.02f) {
      throw sweep.bad(
          "--initializer-range applies to a model trained from scratch, not to a" + " checkpoint");
    }
    if (maxLength < 4 || maxLength > 512) {
      throw sweep.bad("--max-length must be in [4, 512], got " + maxLength);
    }
    if (trainSize < 0 || valSize < 0) {
      throw sweep.bad("--train-size and --val-size must not be negative");
    }
    if (subsetSize < 3) {
      throw sweep.bad("--subset-size must be at least 3 (one pair per label), got " + subsetSize);
    }
  }

  private String size() {
    return modelSize == null ? "mini" : modelSize.trim().toLowerCase(Locale.ROOT);
  }

  private BertConfig sizeConfig() {
    return switch (size()) {
      case "tiny" -> BertConfig.tiny();
      case "mini" -> BertConfig.mini();
      case "small" -> BertConfig.small();
      case "base" -> BertConfig.base();
      default ->
          throw sweep.bad(
              "unknown --model-size '" + modelSize + "': expected tiny, mini, small or base");
    };
  }

  private static List<String> classNames() {
    return java.util.Arrays.stream(NliLabel.values()).map(NliLabel::fileName).toList();
  }

  private ObjectNode describe(Path tokenizerJson) {
    return JsonSummary.mapper()
        .createObjectNode()
        .put("command", "nlp")
        .put("model", checkpoint != null ? "bert checkpoint" : "bert " + size())
        .put("optimizer", sweep.optimizer)
        .put("data_source", dataSource)
        .put("synthetic", synthetic);
  }
}
