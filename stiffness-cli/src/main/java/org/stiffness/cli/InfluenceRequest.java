package org.stiffness.cli;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.stiffness.cli.VisionCommand.DatasetName;
import org.stiffness.experiments.Training;
import org.stiffness.gram.GramOptions;
import org.stiffness.jobs.Shard;

/**
 * One influence run: the settings {@code stiffness influence} takes as options, with the same names
 * ({@link InfluenceCommand}).
 *
 * @param dataset the dataset
 * @param dataDir the data directory, or null
 * @param model the model
 * @param preprocessing {@code paper} or {@code none}
 * @param trainSize class-balanced training examples, 0 for all
 * @param testSize class-balanced test examples, 0 for all
 * @param optimizer {@code sgd} or {@code adam}
 * @param learningRate the constant learning rate
 * @param epochs epochs of training
 * @param batchSize training batch size
 * @param checkpoints K, the checkpoints
 * @param topK proponents and opponents per test example
 * @param layers the layers whose parameters count, empty for all
 * @param flipLabels the share of training labels flipped
 * @param seed seed of weights, subsets, flips and batches
 * @param export also write the sets, architecture and parameters
 * @param shard the shard of the tiles to compute into {@code out}, or null for all of them
 * @param merge the directory of the shards to join instead of computing the tiles, or null
 * @param out the output directory (with {@code shard}, the shard directory)
 * @param device where it computes
 * @param gram the engine's memory budget and precision
 */
record InfluenceRequest(
    DatasetName dataset,
    Path dataDir,
    ModelKind model,
    String preprocessing,
    int trainSize,
    int testSize,
    String optimizer,
    double learningRate,
    double epochs,
    int batchSize,
    int checkpoints,
    int topK,
    List<String> layers,
    double flipLabels,
    long seed,
    boolean export,
    Shard shard,
    Path merge,
    Path out,
    Device device,
    GramOptions gram) {

  /**
   * Checks what the types cannot.
   *
   * @throws IllegalArgumentException naming the option of the first setting out of range
   */
  void validate() {
    if (trainSize < 0 || testSize < 0) {
      throw new IllegalArgumentException("--train-size and --test-size must not be negative");
    }
    if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
      throw new IllegalArgumentException(
          "unknown optimizer '" + optimizer + "': expected sgd or adam");
    }
    if (!preprocessing.equals("paper") && !preprocessing.equals("none")) {
      throw new IllegalArgumentException(
          "unknown preprocessing '" + preprocessing + "': expected paper or none");
    }
    if (!(epochs > 0) || Double.isInfinite(epochs)) {
      throw new IllegalArgumentException("--epochs must be a positive number, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
    }
    if (checkpoints < 1) {
      throw new IllegalArgumentException("--checkpoints must be at least 1, got " + checkpoints);
    }
    if (topK < 1) {
      throw new IllegalArgumentException("--top-k must be at least 1, got " + topK);
    }
    if (!(flipLabels >= 0 && flipLabels < 1)) {
      throw new IllegalArgumentException(
          "--flip-labels must be a share in [0, 1), got " + flipLabels);
    }
    for (String layer : layers) {
      if (layer.isBlank()) {
        throw new IllegalArgumentException("--layers names an empty layer: " + layers);
      }
    }
    if (shard != null || merge != null) {
      if (shard != null && merge != null) {
        throw new IllegalArgumentException(
            "--shard and --merge exclude each other: the shards first, then one --merge run");
      }
      if (gram.memoryBudgetBytes() <= 0) {
        throw new IllegalArgumentException(
            (shard != null ? "--shard" : "--merge")
                + " needs --memory-budget SIZE: every process must cut the same tiles, and the"
                + " default budget follows each machine's free memory");
      }
      if (shard != null && export) {
        throw new IllegalArgumentException(
            "--export with --shard: give it to the --merge run, which writes the run's files");
      }
    }
    if (merge != null && !Files.isDirectory(merge)) {
      throw new IllegalArgumentException("--merge " + merge + " is not a directory");
    }
    if (dataDir != null && !Files.isDirectory(dataDir)) {
      throw new IllegalArgumentException("--data-dir " + dataDir + " is not a directory");
    }
  }

  Training.OptimizerKind optimizerKind() {
    return optimizer.equals("adam") ? Training.OptimizerKind.ADAM : Training.OptimizerKind.SGD;
  }
}
