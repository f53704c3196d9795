package org.stiffness.report;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * What the influence report draws, computed elsewhere: the scores of every training example, the
 * flip-detection curves and figures, the proponents and opponents of the test examples, and the
 * images to show them by.
 *
 * @param selfInfluence (N) TracIn self-influence of each training example
 * @param flipped (N) whether each training label was flipped
 * @param foundBySelfInfluence (N + 1) share of the flipped labels found after inspecting the k
 *     training examples of highest self-influence, k = 0..N
 * @param foundByLoss (N + 1) the same, ranked by final loss
 * @param aucSelfInfluence ROC AUC of self-influence for the flipped labels, NaN without flips
 * @param aucLoss ROC AUC of the final loss, NaN without flips
 * @param proponents (M, k) training indices of each test example's proponents, strongest first
 * @param proponentScores (M, k) their scores
 * @param opponents (M, k) training indices of each test example's opponents, most negative first
 * @param opponentScores (M, k) their scores
 * @param trainLabels (N) the labels as trained, flipped ones included
 * @param trueLabels (N) the labels before flipping
 * @param testLabels (M) the test labels
 * @param classNames class names by index
 * @param trainImage training example i as an image
 * @param testImage test example j as an image
 */
public record InfluenceResults(
    double[] selfInfluence,
    boolean[] flipped,
    double[] foundBySelfInfluence,
    double[] foundByLoss,
    double aucSelfInfluence,
    double aucLoss,
    int[][] proponents,
    double[][] proponentScores,
    int[][] opponents,
    double[][] opponentScores,
    int[] trainLabels,
    int[] trueLabels,
    int[] testLabels,
    List<String> classNames,
    IntFunction<BufferedImage> trainImage,
    IntFunction<BufferedImage> testImage) {

  /**
   * @throws IllegalArgumentException when the per-example arrays disagree in length
   */
  public InfluenceResults {
    int n = selfInfluence.length;
    if (flipped.length != n || trainLabels.length != n || trueLabels.length != n) {
      throw new IllegalArgumentException(
          "self-influence, flipped marks and labels must have one entry per training example");
    }
    if (foundBySelfInfluence.length != n + 1 || foundByLoss.length != n + 1) {
      throw new IllegalArgumentException("the detection curves must have N + 1 points");
    }
    int m = testLabels.length;
    if (proponents.length != m
        || proponentScores.length != m
        || opponents.length != m
        || opponentScores.length != m) {
      throw new IllegalArgumentException("proponents and opponents need one row per test example");
    }
    classNames = List.copyOf(classNames);
    Objects.requireNonNull(trainImage, "trainImage");
    Objects.requireNonNull(testImage, "testImage");
  }

  /** Number of flipped training labels. */
  int flippedCount() {
    int count = 0;
    for (boolean f : flipped) {
      count += f ? 1 : 0;
    }
    return count;
  }
}
