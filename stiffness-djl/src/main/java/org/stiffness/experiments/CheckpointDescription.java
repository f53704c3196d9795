package org.stiffness.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.stiffness.stats.ClassGroups;
import org.stiffness.summary.PairingSpec;

/**
 * The layout of a saved checkpoint's {@code checkpoint.json} (see {@link SavedCheckpoint}), written
 * and read by Jackson. Components annotated {@code @JsonInclude(NON_NULL)} are absent from version
 * 1 files and from version 2 files that do not need them.
 *
 * @param format {@link SavedCheckpoint#FORMAT} or {@link SavedCheckpoint#FORMAT_2}
 * @param checkpointDir where the measurement wrote the checkpoint's matrices ({@code
 *     matrices/lr=.../step=...})
 * @param lr the learning rate of the run the checkpoint was saved from; null (absent) in a file
 *     written before it was recorded
 * @param step the optimiser steps taken before the checkpoint; null (absent) in a file written
 *     before it was recorded
 * @param model what rebuilds the block
 * @param loss the loss the gradients are of ({@code softmax-cross-entropy})
 * @param inputDistance {@link InputDistance#name()}
 * @param inputDistanceParameters {@link InputDistance#parameters()}, or null
 * @param sets the measured sets, in order
 * @param groupings extra groupings every set carries, or null for none
 * @param classGroups the grouping of the classes whose stiffness every pairing reports, or null
 * @param pairings the pairings, in summary order
 * @param statistics the statistics settings
 * @param gram the Gram options
 * @param files the SHA-256 of each data file, checked before the file is used; null (absent) in a
 *     file written before they were recorded, whose data files are then used unchecked
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record CheckpointDescription(
    String format,
    String checkpointDir,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double lr,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long step,
    Model model,
    String loss,
    String inputDistance,
    @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode inputDistanceParameters,
    List<SetEntry> sets,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<GroupingEntry> groupings,
    @JsonInclude(JsonInclude.Include.NON_NULL) ClassGroupsEntry classGroups,
    List<PairingSpec> pairings,
    Statistics statistics,
    Gram gram,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<FileEntry> files) {

  /**
   * @param name the file's name in the checkpoint directory ({@code parameters.npz})
   * @param sha256 the SHA-256 of its bytes, lower-case hex
   */
  record FileEntry(String name, String sha256) {}

  /**
   * @param kind the model kind a {@link CheckpointKinds} registry builds ({@code fc}, {@code bert})
   * @param classes number of classes n_c
   * @param inputShape the shape of one example of the first input
   * @param config what a kind such as BERT needs besides the kind ({@link CheckpointModel}), or
   *     null
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Model(
      String kind,
      int classes,
      long[] inputShape,
      @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode config) {}

  /**
   * @param name the set's name
   * @param size its number of examples
   * @param inputs the names of its inputs when there are several ({@code <set>_<input>} in {@code
   *     subsets.npz}), null for the one {@code <set>_inputs}
   */
  record SetEntry(
      String name, int size, @JsonInclude(JsonInclude.Include.NON_NULL) List<String> inputs) {}

  /**
   * @param name the grouping's name
   * @param groups one name per group index
   */
  record GroupingEntry(String name, List<String> groups) {}

  /**
   * A grouping of the classes as {@code {"name": ..., "groups": [{"name": "tops", "classes": [0, 2,
   * 4, 6]}, ...]}}: groups in index order, classes ascending. Also the {@code class_groups} of a
   * run's configuration in {@code summary.json}.
   *
   * @param name the grouping's name ({@code fashion})
   * @param groups its groups
   */
  record ClassGroupsEntry(String name, List<ClassGroupEntry> groups) {
    /** The entry of {@code groups}. */
    static ClassGroupsEntry of(ClassGroups groups) {
      List<ClassGroupEntry> entries = new ArrayList<>();
      for (int g = 0; g < groups.groups(); g++) {
        entries.add(new ClassGroupEntry(groups.groupNames().get(g), groups.classesOf(g)));
      }
      return new ClassGroupsEntry(groups.name(), entries);
    }
  }

  /**
   * @param name the group's name
   * @param classes its classes, ascending
   */
  record ClassGroupEntry(String name, int[] classes) {}

  /**
   * @param distanceBinEdges edges of the input-distance bins
   * @param criticalLength fit and bootstrap settings of xi
   * @param pairMatrices whether the full pair matrices are written
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Statistics(
      double[] distanceBinEdges, CriticalLengthEntry criticalLength, boolean pairMatrices) {}

  /** {@link org.stiffness.stats.CriticalLength.Config}, the measure in lower case. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record CriticalLengthEntry(
      String measure,
      double windowLo,
      double windowHi,
      int resamples,
      double confidence,
      long seed,
      long minPairs) {}

  /** {@link org.stiffness.gram.GramOptions}, precision and strategy in lower case. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Gram(long memoryBudget, String precision, String strategy, int blockSize, int passSize) {}
}
