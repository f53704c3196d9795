package org.stiffness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.stiffness.cli.VisionCommand.DatasetName;
import org.stiffness.report.Figure;
import picocli.CommandLine;

/**
 * One vision experiment: the settings {@code stiffness vision} takes as options, with the same
 * names and defaults ({@link VisionCommand}).
 *
 * @param dataset the dataset
 * @param dataDir the data directory, or null (see {@code --data-dir})
 * @param model the model
 * @param trainSize class-balanced training examples, 0 for all
 * @param subsetSize examples in each measured subset, 0 for the dataset's default
 * @param valSubsetSize examples in the val subset, 0 for {@code subsetSize}
 * @param pairings the pairings to measure, e.g. {@code train-val}
 * @param preprocessing {@code paper} or {@code none}
 * @param classGroups {@code auto}, {@code none}, a built-in grouping or a file
 * @param allowMissingClasses measure even when a class has no example
 * @param learningRates the constant learning rates, one run each
 * @param sweep the settings every sweep shares
 */
record VisionRequest(
    DatasetName dataset,
    Path dataDir,
    ModelKind model,
    int trainSize,
    int subsetSize,
    int valSubsetSize,
    List<String> pairings,
    String preprocessing,
    String classGroups,
    boolean allowMissingClasses,
    List<Double> learningRates,
    SweepSettings sweep)
    implements ExperimentRequest {

  /** The pairings measured unless {@code --pairings} says otherwise. */
  static final List<String> DEFAULT_PAIRINGS = List.of("train-train", "train-val", "val-val");

  /** The learning rates unless {@code --lr} says otherwise. */
  static final List<Double> DEFAULT_LEARNING_RATES = List.of(1e-3, 1e-2);

  /**
   * A request with these settings and the command's defaults for the rest: every pairing, the
   * paper's preprocessing, the automatic class groups.
   */
  static VisionRequest of(
      DatasetName dataset,
      Path dataDir,
      ModelKind model,
      int trainSize,
      int subsetSize,
      List<Double> learningRates,
      SweepSettings sweep) {
    return new VisionRequest(
        dataset,
        dataDir,
        model,
        trainSize,
        subsetSize,
        0,
        DEFAULT_PAIRINGS,
        "paper",
        ClassGroupsOption.AUTO,
        false,
        learningRates,
        sweep);
  }

  /**
   * Checks what the types cannot, the shared settings first.
   *
   * @throws IllegalArgumentException naming the option of the first setting out of range
   */
  void validate() {
    sweep.validate();
    if (trainSize < 0 || subsetSize < 0 || valSubsetSize < 0) {
      throw new IllegalArgumentException(
          "--train-size, --subset-size and --val-subset-size must not be negative");
    }
    for (String p : pairings) {
      if (!List.of("train-train", "train-val", "val-val", "val-train").contains(p.trim())) {
        throw new IllegalArgumentException(
            "unknown pairing '" + p + "': expected train-train, train-val, val-train or val-val");
      }
    }
    if (pairings.stream().map(String::trim).distinct().count() != pairings.size()) {
      throw new IllegalArgumentException("--pairings names a pairing twice: " + pairings);
    }
    if (!preprocessing.equals("paper") && !preprocessing.equals("none")) {
      throw new IllegalArgumentException(
          "unknown preprocessing '" + preprocessing + "': expected paper or none");
    }
    if (dataDir != null && !Files.isDirectory(dataDir)) {
      throw new IllegalArgumentException("--data-dir " + dataDir + " is not a directory");
    }
  }

  @Override
  public VisionRequest into(Path out) {
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
        sweep.into(out));
  }

  @Override
  public List<Figure> run(CommandLine cli, PrintWriter out) throws IOException {
    return new VisionRun(cli, out).run(this, identity());
  }

  @Override
  public List<String> arguments() {
    List<String> args = new ArrayList<>(List.of("vision", "--dataset", dataset.label()));
    if (dataDir != null) {
      args.addAll(List.of("--data-dir", dataDir.toString()));
    }
    args.addAll(List.of("--model", model.label(), "--train-size", String.valueOf(trainSize)));
    args.addAll(List.of("--epochs", ExperimentRequest.plain(sweep.epochs())));
    args.addAll(List.of("--lr", ExperimentRequest.rates(learningRates)));
    args.addAll(List.of("--points", String.valueOf(sweep.points())));
    if (subsetSize > 0) {
      args.addAll(List.of("--subset-size", String.valueOf(subsetSize)));
    }
    args.addAll(
        List.of(
            "--seed", String.valueOf(sweep.seed()), "--device", DeviceCheck.label(sweep.device())));
    return args;
  }
}
