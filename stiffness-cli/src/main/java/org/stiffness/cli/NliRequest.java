package org.stiffness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stiffness.nlp.model.BertCheckpoint;
import org.stiffness.nlp.model.BertConfig;
import org.stiffness.report.Figure;
import picocli.CommandLine;

/**
 * One NLI experiment: the settings {@code stiffness nlp} takes as options, with the same names and
 * defaults ({@link NlpCommand}).
 *
 * @param mnliDir MNLI's directory, or null with {@code synthetic}
 * @param synthetic generated pairs instead of MNLI
 * @param tokenizer a tokenizer.json, or null for the checkpoint's
 * @param checkpoint a HuggingFace BERT checkpoint directory to fine-tune, or null
 * @param modelSize {@code tiny}, {@code mini}, {@code small} or {@code base} from scratch, or null
 *     for mini
 * @param initializerRange initial weights' standard deviation from scratch
 * @param maxLength tokens per pair
 * @param trainSize label-balanced training pairs, 0 for all
 * @param valSize label-balanced pairs of each dev split, 0 for all
 * @param subsetSize pairs in each measured subset
 * @param learningRates the constant learning rates, or null for the default of the model
 * @param sweep the settings every sweep shares
 */
record NliRequest(
    Path mnliDir,
    boolean synthetic,
    Path tokenizer,
    Path checkpoint,
    String modelSize,
    float initializerRange,
    int maxLength,
    int trainSize,
    int valSize,
    int subsetSize,
    List<Double> learningRates,
    SweepSettings sweep)
    implements ExperimentRequest {

  /** BERT's initial weights' standard deviation, the default of {@code --initializer-range}. */
  static final float BERT_INITIALIZER_RANGE = 0.02f;

  /**
   * MNLI in {@code mnliDir}, with a tokenizer or a checkpoint (or both), these sizes and the
   * command's defaults for the rest: the mini encoder from scratch unless a checkpoint is given,
   * 128 tokens, 1000 pairs of each dev split, the default learning rates.
   */
  static NliRequest ofMnli(
      Path mnliDir,
      Path tokenizer,
      Path checkpoint,
      int trainSize,
      int subsetSize,
      SweepSettings sweep) {
    return new NliRequest(
        mnliDir,
        false,
        tokenizer,
        checkpoint,
        null,
        BERT_INITIALIZER_RANGE,
        128,
        trainSize,
        1000,
        subsetSize,
        null,
        sweep);
  }

  /**
   * Checks what the types cannot, the shared settings first, before any file is read.
   *
   * @throws IllegalArgumentException naming the option of the first setting out of range
   */
  void validate() {
    sweep.validate();
    if (synthetic) {
      if (mnliDir != null) {
        throw new IllegalArgumentException("give --mnli-dir or --synthetic, not both");
      }
      if (tokenizer != null || checkpoint != null) {
        throw new IllegalArgumentException(
            "--synthetic brings its own tokenizer and trains from scratch: leave out --tokenizer"
                + " and --bert-checkpoint");
      }
    } else if (mnliDir == null) {
      throw new IllegalArgumentException(
          "give --mnli-dir D (a directory with MNLI) or --synthetic (generated pairs, to try the"
              + " command without MNLI)");
    } else if (!Files.isDirectory(mnliDir)) {
      throw new IllegalArgumentException("--mnli-dir " + mnliDir + " is not a directory");
    }
    if (checkpoint != null && modelSize != null) {
      throw new IllegalArgumentException("give --bert-checkpoint or --model-size, not both");
    }
    if (checkpoint != null && !Files.isDirectory(checkpoint)) {
      throw new IllegalArgumentException("--bert-checkpoint " + checkpoint + " is not a directory");
    }
    if (checkpoint != null) {
      // Checked before the training file is read (minutes for all of MNLI), not after.
      for (String name : List.of(BertCheckpoint.CONFIG, BertCheckpoint.WEIGHTS)) {
        if (!Files.isRegularFile(checkpoint.resolve(name))) {
          throw new IllegalArgumentException(
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
      throw new IllegalArgumentException(
          "--tokenizer is required when no --bert-checkpoint is given");
    }
    if (checkpoint == null) {
      sizeConfig(); // rejects an unknown size now, before any output exists
    }
    if (!(initializerRange > 0) || Float.isInfinite(initializerRange)) {
      throw new IllegalArgumentException(
          "--initializer-range must be a positive number, got " + initializerRange);
    }
    if (checkpoint != null && initializerRange != BERT_INITIALIZER_RANGE) {
      throw new IllegalArgumentException(
          "--initializer-range applies to a model trained from scratch, not to a checkpoint");
    }
    if (maxLength < 4 || maxLength > 512) {
      throw new IllegalArgumentException("--max-length must be in [4, 512], got " + maxLength);
    }
    if (trainSize < 0 || valSize < 0) {
      throw new IllegalArgumentException("--train-size and --val-size must not be negative");
    }
    if (subsetSize < 3) {
      throw new IllegalArgumentException(
          "--subset-size must be at least 3 (one pair per label), got " + subsetSize);
    }
  }

  /** The encoder size trained from scratch. */
  String size() {
    return modelSize == null ? "mini" : modelSize.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * The encoder trained from scratch.
   *
   * @throws IllegalArgumentException for an unknown {@code --model-size}
   */
  BertConfig sizeConfig() {
    return switch (size()) {
      case "tiny" -> BertConfig.tiny();
      case "mini" -> BertConfig.mini();
      case "small" -> BertConfig.small();
      case "base" -> BertConfig.base();
      default ->
          throw new IllegalArgumentException(
              "unknown --model-size '" + modelSize + "': expected tiny, mini, small or base");
    };
  }

  @Override
  public NliRequest into(Path out) {
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
        sweep.into(out));
  }

  @Override
  public List<Figure> run(CommandLine cli, PrintWriter out) throws IOException {
    return new NliRun(cli, out).run(this, identity());
  }

  @Override
  public List<String> arguments() {
    List<String> args = new ArrayList<>(List.of("nlp", "--mnli-dir", String.valueOf(mnliDir)));
    if (checkpoint != null) {
      args.addAll(List.of("--bert-checkpoint", checkpoint.toString()));
    }
    if (tokenizer != null) {
      args.addAll(List.of("--tokenizer", tokenizer.toString()));
    }
    args.addAll(List.of("--train-size", String.valueOf(trainSize)));
    args.addAll(List.of("--epochs", ExperimentRequest.plain(sweep.epochs())));
    args.addAll(List.of("--points", String.valueOf(sweep.points())));
    args.addAll(List.of("--subset-size", String.valueOf(subsetSize)));
    args.addAll(
        List.of(
            "--seed", String.valueOf(sweep.seed()), "--device", DeviceCheck.label(sweep.device())));
    return args;
  }
}
