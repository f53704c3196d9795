package org.stiffness.vision;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.experiments.InputDistance;
import org.stiffness.experiments.MeasuredSet;
import org.stiffness.experiments.MeasurementSettings;
import org.stiffness.experiments.StiffnessMeasurement;
import org.stiffness.gradients.Examples;
import org.stiffness.summary.PairingSpec;

/**
 * The vision measurement: pairings of two fixed image subsets, the sets {@code train} and {@code
 * val}, input distance = cosine distance of the images as fed to the model ({@link
 * InputDistance#cosineOfInputs()}).
 */
public final class ImageMeasurement {
  private ImageMeasurement() {}

  /**
   * The paper's three pairings train-train, train-val and val-val.
   *
   * @param trainSubset fixed training examples on which stiffness is measured
   * @param valSubset fixed validation examples
   * @param classes number of classes n_c (labels are in {@code [0, classes)})
   * @param device where the Gram matrices are computed
   * @param experimentDir the directory the matrix paths are relative to
   * @param settings statistics settings
   */
  public static StiffnessMeasurement of(
      LabelledImages trainSubset,
      LabelledImages valSubset,
      int classes,
      Device device,
      Path experimentDir,
      MeasurementSettings settings) {
    return of(
        trainSubset,
        valSubset,
        classes,
        StiffnessMeasurement.standardPairings(),
        device,
        experimentDir,
        settings);
  }

  /**
   * Chosen pairings of the sets {@code train} and {@code val} (for example train-train alone, for
   * all of a large training set).
   *
   * @param trainSubset fixed training examples on which stiffness is measured
   * @param valSubset fixed validation examples
   * @param classes number of classes n_c (labels are in {@code [0, classes)})
   * @param pairings what to measure, in summary order, of the sets {@code train} and {@code val}
   * @param device where the Gram matrices are computed
   * @param experimentDir the directory the matrix paths are relative to
   * @param settings statistics settings
   */
  public static StiffnessMeasurement of(
      LabelledImages trainSubset,
      LabelledImages valSubset,
      int classes,
      List<PairingSpec> pairings,
      Device device,
      Path experimentDir,
      MeasurementSettings settings) {
    return new StiffnessMeasurement(
        manager -> {
          long offset = trainSubset.size();
          return List.of(
              set(manager, "train", trainSubset, 0), set(manager, "val", valSubset, offset));
        },
        pairings,
        List.of(),
        InputDistance.cosineOfInputs(),
        classes,
        device,
        experimentDir,
        settings);
  }

  /** Image subset {@code data} as set {@code name}, ids {@code offset, offset + 1, ...}. */
  private static MeasuredSet set(NDManager manager, String name, LabelledImages data, long offset) {
    int[] rows = new int[data.size()];
    long[] ids = new long[data.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
      ids[i] = offset + i; // val ids start past the train ids: disjoint, never a self-pair
    }
    Examples examples =
        Examples.of(
            name,
            new NDList(ImageData.inputs(manager, data, rows)),
            manager.create(data.labels()),
            ids);
    return new MeasuredSet(examples, data.labels(), Map.of());
  }
}
