package org.stiffness.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What an experiment writes to {@code DIR/summary.json}: the full configuration and one run per
 * learning rate, each with stiffness measured at checkpoints over training. Vision and NLP
 * experiments share this layout, so plots and reports read either.
 *
 * @param config the full configuration, as given and defaulted
 * @param runs one per learning rate
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ExperimentSummary(JsonNode config, List<Run> runs) {

  /**
   * @param lr the constant learning rate
   * @param checkpoints measurements in training order
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Run(double lr, List<Checkpoint> checkpoints) {}

  /**
   * @param step optimiser steps taken before this measurement
   * @param epoch step / steps per epoch
   * @param pairings keyed {@code train-train}, {@code train-val}, {@code val-val} (see {@link
   *     Pairing#key()}), in that order
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Checkpoint(
      long step,
      double epoch,
      double trainLoss,
      double trainAcc,
      double valLoss,
      double valAcc,
      java.util.Map<String, PairingSummary> pairings) {}

  /**
   * Stiffness of one pairing at one checkpoint.
   *
   * @param withinSign S_within of sign stiffness (null when no class has pairs)
   * @param criticalLength xi with its bootstrap interval, or a null value with the reason
   * @param distanceProfile all-pairs stiffness vs input distance, in bin order
   * @param withinClassDistanceProfile within-class pairs only
   * @param classSignMatrix path of the {@code (classes, classes)} sign class-stiffness matrix
   *     ({@code .npy}, relative to the experiment directory)
   * @param classCosMatrix the same for cosine stiffness
   * @param pairCountMatrix path of the {@code (classes, classes)} pair counts ({@code .npy})
   * @param uncertainSignPairs pairs whose sign is below the rounding-error bound
   * @param zeroGradientExamples examples excluded because their gradient is zero
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record PairingSummary(
      Double withinSign,
      Double betweenSign,
      Double withinCos,
      Double betweenCos,
      CriticalLengthSummary criticalLength,
      List<DistanceBin> distanceProfile,
      List<DistanceBin> withinClassDistanceProfile,
      String classSignMatrix,
      String classCosMatrix,
      String pairCountMatrix,
      long uncertainSignPairs,
      long zeroGradientExamples) {}

  /**
   * @param value xi, or null when there is no crossing
   * @param low lower end of the bootstrap interval, or null
   * @param high upper end, or null
   * @param reason why there is no value (null when there is one)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record CriticalLengthSummary(Double value, Double low, Double high, String reason) {}

  /** One bin of stiffness vs input distance; means are null for an empty bin. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record DistanceBin(double lo, double hi, long pairs, Double meanSign, Double meanCos) {}
}
