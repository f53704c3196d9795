package org.stiffness.experiments.influence;

import java.io.IOException;
import java.nio.file.Path;
import org.stiffness.influence.InfluenceResult;
import org.stiffness.io.NpyWriter;

/**
 * The arrays of an influence run as {@code .npy} files, which {@code numpy.load} reads: indices as
 * int64, scores as the engine gives them.
 */
public final class InfluenceFiles {
  /** Self-influence of each training example, float64 (N). */
  public static final String SELF_INFLUENCE = "self_influence.npy";

  /** Each test example's proponents, training indices, int64 (M, k), largest score first. */
  public static final String PROPONENTS = "proponents.npy";

  /** Their scores, float32 (M, k). */
  public static final String PROPONENTS_SCORES = "proponents_scores.npy";

  /** Each test example's opponents, training indices, int64 (M, k), most negative first. */
  public static final String OPPONENTS = "opponents.npy";

  /** Their scores, float32 (M, k). */
  public static final String OPPONENTS_SCORES = "opponents_scores.npy";

  /** Each training example's total influence on the test set, float64 (N). */
  public static final String TOTAL_INFLUENCE = "total_influence.npy";

  /** The flipped training indices, int64 (F), ascending. */
  public static final String FLIPPED = "flipped.npy";

  /** Each training example's loss after training, on its label as trained, float32 (N). */
  public static final String FINAL_LOSS = "final_loss.npy";

  private InfluenceFiles() {}

  /**
   * Writes the arrays into {@code dir}.
   *
   * @param influence the engine's result
   * @param finalLoss (N) the loss of each training example after training
   * @param flipped the flipped training indices
   */
  public static void write(Path dir, InfluenceResult influence, float[] finalLoss, int[] flipped)
      throws IOException {
    int n = influence.trainSize();
    long m = influence.testSize();
    long k = influence.k();
    NpyWriter.write(dir.resolve(SELF_INFLUENCE), influence.selfInfluence(), n);
    NpyWriter.write(dir.resolve(TOTAL_INFLUENCE), influence.totalInfluence(), n);
    NpyWriter.write(dir.resolve(PROPONENTS), influence.proponentMatrix(), m, k);
    NpyWriter.write(dir.resolve(PROPONENTS_SCORES), influence.proponentScoreMatrix(), m, k);
    NpyWriter.write(dir.resolve(OPPONENTS), influence.opponentMatrix(), m, k);
    NpyWriter.write(dir.resolve(OPPONENTS_SCORES), influence.opponentScoreMatrix(), m, k);
    long[] indices = new long[flipped.length];
    for (int i = 0; i < flipped.length; i++) {
      indices[i] = flipped[i];
    }
    NpyWriter.write(dir.resolve(FLIPPED), indices, indices.length);
    NpyWriter.write(dir.resolve(FINAL_LOSS), finalLoss, finalLoss.length);
  }
}
