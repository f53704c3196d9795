package org.stiffness.summary;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

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
   * @param divergedAtStep the step whose batch loss was not finite, after which the run stopped
   *     (its checkpoints are those before it); null, and absent from the JSON, for a run that
   *     finished
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Run(
      double lr,
      List<Checkpoint> checkpoints,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long divergedAtStep) {

    /** A run that finished. */
    public Run(double lr, List<Checkpoint> checkpoints) {
      this(lr, checkpoints, null);
    }
  }

  /**
   * @param step optimiser steps taken before this measurement; null when unknown (a merge of a
   *     checkpoint saved before its step was recorded)
   * @param epoch step / steps per epoch
   * @param pairings keyed {@code train-train}, {@code train-val}, {@code val-val} (see {@link
   *     Pairing#key()}), in that order, possibly followed by further pairings of other sets (MNLI:
   *     {@code train-val_mismatched}, {@code val_mismatched-val_mismatched})
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Checkpoint(
      Long step,
      double epoch,
      double trainLoss,
      double trainAcc,
      double valLoss,
      double valAcc,
      Map<String, PairingSummary> pairings) {}

  /**
   * Stiffness of one pairing at one checkpoint.
   *
   * @param withinSign S_within of sign stiffness (null when no class has pairs)
   * @param criticalLength xi from within-class pairs (the paper's definition) with its bootstrap
   *     interval, or a null value with the reason
   * @param criticalLengthAllPairs xi from all pairs, same fit and window
   * @param distanceProfile all-pairs stiffness vs input distance, in bin order
   * @param withinClassDistanceProfile within-class pairs only
   * @param classSignMatrix path of the {@code (classes, classes)} sign class-stiffness matrix
   *     ({@code .npy}, relative to the experiment directory)
   * @param classCosMatrix the same for cosine stiffness
   * @param pairCountMatrix path of the {@code (classes, classes)} pair counts ({@code .npy})
   * @param uncertainSignPairs pairs whose sign is below the rounding-error bound
   * @param zeroGradientExamples examples excluded because their gradient is zero
   * @param groupings stiffness under other groupings of the same examples (for MNLI: {@code
   *     genre}), keyed by grouping name; null (and absent from the JSON) when there are none
   * @param classGroups within-group against across-group stiffness of a grouping of the classes
   *     (vision: {@code --class-groups}); null (and absent from the JSON) without one
   * @param coherence gradient coherence and confusion of a set with itself; null (and absent from
   *     the JSON) for a pairing of two sets
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record PairingSummary(
      Double withinSign,
      Double betweenSign,
      Double withinCos,
      Double betweenCos,
      CriticalLengthSummary criticalLength,
      CriticalLengthSummary criticalLengthAllPairs,
      List<DistanceBin> distanceProfile,
      List<DistanceBin> withinClassDistanceProfile,
      String classSignMatrix,
      String classCosMatrix,
      String pairCountMatrix,
      long uncertainSignPairs,
      long zeroGradientExamples,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, GroupingSummary> groupings,
      @JsonInclude(JsonInclude.Include.NON_NULL) ClassGroupsSummary classGroups,
      @JsonInclude(JsonInclude.Include.NON_NULL) CoherenceSummary coherence) {

    /** A summary without coherence figures (a pairing of two sets). */
    public PairingSummary(
        Double withinSign,
        Double betweenSign,
        Double withinCos,
        Double betweenCos,
        CriticalLengthSummary criticalLength,
        CriticalLengthSummary criticalLengthAllPairs,
        List<DistanceBin> distanceProfile,
        List<DistanceBin> withinClassDistanceProfile,
        String classSignMatrix,
        String classCosMatrix,
        String pairCountMatrix,
        long uncertainSignPairs,
        long zeroGradientExamples,
        Map<String, GroupingSummary> groupings,
        ClassGroupsSummary classGroups) {
      this(
          withinSign,
          betweenSign,
          withinCos,
          betweenCos,
          criticalLength,
          criticalLengthAllPairs,
          distanceProfile,
          withinClassDistanceProfile,
          classSignMatrix,
          classCosMatrix,
          pairCountMatrix,
          uncertainSignPairs,
          zeroGradientExamples,
          groupings,
          classGroups,
          null);
    }
  }

  /**
   * Gradient coherence (Chatterjee and Zielinski 2020) and gradient confusion (Sankararaman et al.
   * 2020) of a set with itself: {@code alpha = sum_ij g_i . g_j / (m sum_i |g_i|^2)} and its ratio
   * to the orthogonal baseline {@code 1 / m}, and the most negative cosine and inner product of two
   * distinct examples, over the whole set and within each class (see {@code GradientCoherence}).
   *
   * @param examples m
   * @param alpha coherence; null when every gradient is zero
   * @param alphaRatio {@code alpha / alpha_perp = m alpha}
   * @param mostNegativeCosine null without a pair of valid examples
   * @param mostNegativeInnerProduct null without a pair of valid examples
   * @param classes the same per class, in class order
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record CoherenceSummary(
      int examples,
      Double alpha,
      Double alphaRatio,
      PairValue mostNegativeCosine,
      PairValue mostNegativeInnerProduct,
      List<ClassCoherence> classes) {}

  /**
   * {@link CoherenceSummary}'s figures of one class's examples, its pairs within the class.
   *
   * @param examples m_c
   * @param alpha coherence of the class; null without a nonzero gradient
   * @param alphaRatio {@code m_c alpha}
   * @param mostNegativeCosine null without a within-class pair of valid examples
   * @param mostNegativeInnerProduct null without one
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ClassCoherence(
      int examples,
      Double alpha,
      Double alphaRatio,
      PairValue mostNegativeCosine,
      PairValue mostNegativeInnerProduct) {}

  /**
   * The value of one pair and the pair.
   *
   * @param value the fp32 Gram entry or cosine
   * @param pair positions of the two examples in the set, the smaller first
   * @param ids the two examples' ids (their indices in the dataset)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record PairValue(double value, List<Integer> pair, List<Long> ids) {}

  /**
   * Within- and between-group stiffness when the examples are grouped by something other than their
   * class (the group plays the class in the paper's formulas, self-pairs still excluded).
   *
   * @param groups number of groups
   * @param groupNames name of each group, in index order
   * @param classSignMatrix path of the {@code (groups, groups)} sign matrix ({@code .npy})
   * @param classCosMatrix the same for cosine stiffness
   * @param pairCountMatrix path of the {@code (groups, groups)} pair counts
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record GroupingSummary(
      int groups,
      List<String> groupNames,
      Double withinSign,
      Double betweenSign,
      Double withinCos,
      Double betweenCos,
      String classSignMatrix,
      String classCosMatrix,
      String pairCountMatrix) {}

  /**
   * Stiffness of pairs of different classes of the same group against pairs of classes in different
   * groups (see {@code org.stiffness.stats.ClassGroupStiffness}): means over pairs, self-pairs and
   * same-class pairs excluded; a mean is null when it has no pair.
   *
   * @param name the grouping's name ({@code fashion}, {@code cifar100-coarse} or the file's name)
   * @param groupNames name of each group, in index order
   * @param groupOfClass the group index of each class, in class order
   * @param withinGroupPairs pairs of different classes of the same group
   * @param acrossGroupPairs pairs of classes in different groups
   * @param groupSignMatrix path of the {@code (groups, groups)} sign matrix {@code M(g, h)} over
   *     pairs of different classes ({@code .npy}, {@code <f8}, NaN without pairs)
   * @param groupCosMatrix the same for cosine stiffness
   * @param groupPairCountMatrix path of its {@code (groups, groups)} pair counts ({@code <i8})
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ClassGroupsSummary(
      String name,
      List<String> groupNames,
      List<Integer> groupOfClass,
      long withinGroupPairs,
      Double withinGroupSign,
      Double withinGroupCos,
      long acrossGroupPairs,
      Double acrossGroupSign,
      Double acrossGroupCos,
      String groupSignMatrix,
      String groupCosMatrix,
      String groupPairCountMatrix) {}

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
