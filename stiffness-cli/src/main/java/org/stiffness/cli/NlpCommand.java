package org.stiffness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * BERT-style stiffness on MNLI: fine-tune or train, measure over training, plot, report. The
 * options make an {@link NliRequest}, which {@link NliRun} runs.
 */
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
    new NliRun(sweep.spec.commandLine(), sweep.spec.commandLine().getOut())
        .run(request(), CommandIdentity.of(sweep.spec));
    return 0;
  }

  /** The request these options make. */
  NliRequest request() {
    return new NliRequest(
        mnliDir,
        synthetic,
        tokenizer,
        checkpoint,
        modelSize,
        initializerRange,
        maxLength,
        trainSize,
        valSize,
        subsetSize,
        learningRates,
        sweep.settings());
  }
}
