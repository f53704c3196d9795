package org.stiffness.experiments;

import java.util.Objects;
import org.stiffness.gram.GramOptions;
import org.stiffness.stats.ClassGroups;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceBins;
import org.stiffness.stats.tiles.StatisticsOptions;

/**
 * Statistics settings of a {@link StiffnessMeasurement}.
 *
 * @param bins input-distance bins of the distance profiles
 * @param criticalLength fit and bootstrap settings of xi
 * @param gram Gram computation options (memory budget, precision)
 * @param export also write the measured subsets ({@code export/subsets.npz}), the architecture
 *     ({@code export/architecture.json}) and the parameters at each checkpoint ({@code
 *     <checkpoint>/parameters.npz}), see {@link Export}
 * @param pairMatrices also write every pairing's full cosine ({@code <pairing>.cos.npy}, float32)
 *     and sign ({@code <pairing>.sign.npy}, int8) matrices next to its class matrices, rows and
 *     columns in the order of the measured subsets
 * @param checkpointModel the model (kind, and settings for kinds such as BERT) to record in a
 *     {@link SavedCheckpoint} written for every measured checkpoint under {@code checkpoints/},
 *     from which {@code stiffness measure} recomputes the measurement without the dataset; null to
 *     save none
 */
public record MeasurementSettings(
    DistanceBins bins,
    CriticalLength.Config criticalLength,
    GramOptions gram,
    boolean pairMatrices,
    boolean export,
    CheckpointModel checkpointModel,
    ClassGroups classGroups) {
  /**
   * @throws NullPointerException when a setting is missing
   */
  public MeasurementSettings {
    Objects.requireNonNull(bins, "bins");
    Objects.requireNonNull(criticalLength, "criticalLength");
    Objects.requireNonNull(gram, "gram");
  }

  /** 20 bins over [0, 2], xi from cosine stiffness over [0, 2], default Gram options. */
  public static MeasurementSettings defaults() {
    return new MeasurementSettings(
        DistanceBins.defaults(),
        CriticalLength.Config.defaults(),
        GramOptions.defaults(),
        false,
        false,
        null,
        null);
  }

  /** These settings, writing the full pair matrices too or not. */
  public MeasurementSettings withPairMatrices(boolean value) {
    return new MeasurementSettings(
        bins, criticalLength, gram, value, export, checkpointModel, classGroups);
  }

  /** These settings with another critical-length configuration (window, measure, ...). */
  public MeasurementSettings withCriticalLength(CriticalLength.Config value) {
    return new MeasurementSettings(
        bins, value, gram, pairMatrices, export, checkpointModel, classGroups);
  }

  /** These settings with other distance bins (text distances lie in [0, 1]). */
  public MeasurementSettings withBins(DistanceBins value) {
    return new MeasurementSettings(
        value, criticalLength, gram, pairMatrices, export, checkpointModel, classGroups);
  }

  /** These settings with other Gram options (budget, block size, precision). */
  public MeasurementSettings withGram(GramOptions value) {
    return new MeasurementSettings(
        bins, criticalLength, value, pairMatrices, export, checkpointModel, classGroups);
  }

  /**
   * These settings, saving a {@link SavedCheckpoint} of each measured checkpoint (model kind {@code
   * model}, e.g. {@code fc}) or, with null, not.
   */
  public MeasurementSettings withCheckpoints(String model) {
    return withCheckpoints(model == null ? null : CheckpointModel.of(model));
  }

  /**
   * These settings, saving a {@link SavedCheckpoint} of each measured checkpoint that records
   * {@code model} (kind and settings) or, with null, not.
   */
  public MeasurementSettings withCheckpoints(CheckpointModel model) {
    return new MeasurementSettings(
        bins, criticalLength, gram, pairMatrices, export, model, classGroups);
  }

  /** These settings, exporting subsets, architecture and parameters or not. */
  public MeasurementSettings withExport(boolean value) {
    return new MeasurementSettings(
        bins, criticalLength, gram, pairMatrices, value, checkpointModel, classGroups);
  }

  /** These settings reporting the stiffness of a grouping of the classes, or (null) of none. */
  public MeasurementSettings withClassGroups(ClassGroups value) {
    return new MeasurementSettings(
        bins, criticalLength, gram, pairMatrices, export, checkpointModel, value);
  }

  /** Bins and xi fit, as the tile statistics take them. */
  public StatisticsOptions statistics() {
    return new StatisticsOptions(bins, criticalLength);
  }
}
