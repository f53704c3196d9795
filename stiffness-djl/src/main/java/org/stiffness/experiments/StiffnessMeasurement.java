package org.stiffness.experiments;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stiffness.StiffnessEngine;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.io.NpyWriter;
import org.stiffness.stats.BinnedStiffness;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceBins;
import org.stiffness.stats.DistanceProfile;
import org.stiffness.stats.InputDistances;
import org.stiffness.stats.PairStiffness;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.DistanceBin;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.Pairing;

/**
 * Stiffness of a frozen model on two fixed example subsets (train and val), for the paper's three
 * pairings train-train, train-val and val-val: class matrices, S_within / S_between, stiffness vs
 * input distance and the critical length xi.
 *
 * <p>The subsets and their input distances do not change over training, so they are built once (the
 * distances are the cosine distances of the inputs exactly as fed to the model). Val examples get
 * ids that no train example has, so a train-val pair is never taken for a self-pair.
 *
 * <p>Per checkpoint, each pairing writes three {@code (classes, classes)} matrices under {@code
 * <experiment dir>/<checkpoint dir>/}: {@code <pairing>.class-sign.npy} and {@code
 * <pairing>.class-cos.npy} ({@code <f8}, NaN for a cell without pairs) and {@code
 * <pairing>.pair-counts.npy} ({@code <i8}).
 */
public final class StiffnessMeasurement implements AutoCloseable {

  /**
   * Statistics settings.
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
   */
  public record Settings(
      DistanceBins bins,
      CriticalLength.Config criticalLength,
      GramOptions gram,
      boolean pairMatrices,
      boolean export) {
    public Settings {
      Objects.requireNonNull(bins, "bins");
      Objects.requireNonNull(criticalLength, "criticalLength");
      Objects.requireNonNull(gram, "gram");
    }

    /** 20 bins over [0, 2], xi from cosine stiffness over [0, 2], default Gram options. */
    public static Settings defaults() {
      return new Settings(
          DistanceBins.defaults(),
          CriticalLength.Config.defaults(),
          GramOptions.defaults(),
          false,
          false);
    }

    /** These settings, writing the full pair matrices too or not. */
    public Settings withPairMatrices(boolean value) {
      return new Settings(bins, criticalLength, gram, value, export);
    }

    /** These settings with another critical-length configuration (window, measure, ...). */
    public Settings withCriticalLength(CriticalLength.Config value) {
      return new Settings(bins, value, gram, pairMatrices, export);
    }

    /** These settings, exporting subsets, architecture and parameters or not. */
    public Settings withExport(boolean value) {
      return new Settings(bins, criticalLength, gram, pairMatrices, value);
    }
  }

  private final NDManager manager;
  private final Device device;
  private final Settings settings;
  private final Path experimentDir;
  private final int classes;
  private final Examples train;
  private final Examples val;
  private final int[] trainLabels;
  private final int[] valLabels;
  private final Map<Pairing, InputDistances> distances = new EnumMap<>(Pairing.class);

  /**
   * @param trainSubset fixed training examples on which stiffness is measured
   * @param valSubset fixed validation examples
   * @param classes number of classes n_c (labels are in {@code [0, classes)})
   * @param device where the Gram matrices are computed
   * @param experimentDir the directory the matrix paths are relative to
   * @param settings statistics settings
   */
  public StiffnessMeasurement(
      LabelledImages trainSubset,
      LabelledImages valSubset,
      int classes,
      Device device,
      Path experimentDir,
      Settings settings) {
    this.device = Objects.requireNonNull(device, "device");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.experimentDir = Objects.requireNonNull(experimentDir, "experimentDir");
    this.classes = classes;
    this.manager = NDManager.newBaseManager(device);
    this.trainLabels = trainSubset.labels();
    this.valLabels = valSubset.labels();
    long[] trainIds = new long[trainSubset.size()];
    long[] valIds = new long[valSubset.size()];
    for (int i = 0; i < trainIds.length; i++) {
      trainIds[i] = i;
    }
    for (int i = 0; i < valIds.length; i++) {
      valIds[i] = trainIds.length + (long) i; // disjoint from every train id
    }
    this.train = examples("train", trainSubset, trainIds);
    this.val = examples("val", valSubset, valIds);
    float[] x = train.flattenedInputs();
    float[] y = val.flattenedInputs();
    int d = train.inputWidth();
    distances.put(Pairing.TRAIN_TRAIN, InputDistances.cosine(x, train.size(), x, train.size(), d));
    distances.put(Pairing.TRAIN_VAL, InputDistances.cosine(x, train.size(), y, val.size(), d));
    distances.put(Pairing.VAL_VAL, InputDistances.cosine(y, val.size(), y, val.size(), d));
  }

  private Examples examples(String name, LabelledImages data, long[] ids) {
    int[] rows = new int[data.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    return Examples.of(
        name, new NDList(Training.images(manager, data, rows)), manager.create(data.labels()), ids);
  }

  /** The fixed train subset as fed to the engine. */
  public Examples trainExamples() {
    return train;
  }

  /** The fixed val subset as fed to the engine (ids offset past the train ids). */
  public Examples valExamples() {
    return val;
  }

  /**
   * Measures all three pairings of the model as it is now.
   *
   * @param model the model at this checkpoint (not modified; the engine snapshots it)
   * @param checkpointDir where this checkpoint's matrices go, relative to the experiment directory,
   *     e.g. {@code matrices/lr=0.001/step=000120}
   * @return summaries keyed {@code train-train}, {@code train-val}, {@code val-val}, in that order
   * @throws IOException when a matrix cannot be written
   */
  public Map<String, PairingSummary> measure(Block model, String checkpointDir) throws IOException {
    if (settings.export()) {
      Path exportDir = experimentDir.resolve("export");
      if (!Files.exists(exportDir.resolve("subsets.npz"))) {
        Export.subsets(exportDir.resolve("subsets.npz"), train, val);
        Export.architecture(
            exportDir.resolve("architecture.json"), model, train, model.getClass().getName());
      }
      Export.parameters(experimentDir.resolve(checkpointDir).resolve("parameters.npz"), model);
    }
    Map<String, PairingSummary> out = new LinkedHashMap<>();
    try (StiffnessEngine engine =
        StiffnessEngine.builder(model).device(device).options(settings.gram()).build()) {
      for (Pairing pairing : Pairing.values()) {
        Examples rows = pairing == Pairing.VAL_VAL ? val : train;
        Examples cols = pairing == Pairing.TRAIN_TRAIN ? train : val;
        GramMatrix gram = rows == cols ? engine.gram(rows) : engine.gram(rows, cols);
        out.put(pairing.key(), summarise(pairing, gram, rows, cols, checkpointDir));
      }
    }
    return out;
  }

  private PairingSummary summarise(
      Pairing pairing, GramMatrix gram, Examples rows, Examples cols, String checkpointDir)
      throws IOException {
    int[] rowLabels = rows == train ? trainLabels : valLabels;
    int[] colLabels = cols == train ? trainLabels : valLabels;
    InputDistances d = distances.get(pairing);
    PairStiffness pairs = PairStiffness.compute(gram, rows.ids(), cols.ids());
    ClassStiffness byClass = ClassStiffness.compute(pairs, rowLabels, colLabels, classes);
    DistanceProfile profile =
        DistanceProfile.compute(pairs, d, rowLabels, colLabels, settings.bins());
    CriticalLength.Result xi =
        CriticalLength.estimate(pairs, d, rowLabels, colLabels, settings.criticalLength());

    String prefix = checkpointDir + "/" + pairing.key();
    String sign = prefix + ".class-sign.npy";
    String cos = prefix + ".class-cos.npy";
    String counts = prefix + ".pair-counts.npy";
    NpyWriter.write(
        experimentDir.resolve(sign), byClass.matrix(StiffnessMeasure.SIGN), classes, classes);
    NpyWriter.write(
        experimentDir.resolve(cos), byClass.matrix(StiffnessMeasure.COSINE), classes, classes);
    NpyWriter.write(experimentDir.resolve(counts), byClass.pairCounts(), classes, classes);
    if (settings.pairMatrices()) {
      NpyWriter.write(
          experimentDir.resolve(prefix + ".cos.npy"),
          pairs.cosineValues(),
          rows.size(),
          cols.size());
      NpyWriter.write(
          experimentDir.resolve(prefix + ".sign.npy"),
          pairs.signValues(),
          rows.size(),
          cols.size());
    }

    return new PairingSummary(
        finiteOrNull(byClass.withinClassStiffness(StiffnessMeasure.SIGN)),
        finiteOrNull(byClass.betweenClassStiffness(StiffnessMeasure.SIGN)),
        finiteOrNull(byClass.withinClassStiffness(StiffnessMeasure.COSINE)),
        finiteOrNull(byClass.betweenClassStiffness(StiffnessMeasure.COSINE)),
        criticalLength(xi),
        bins(profile.allPairs()),
        bins(profile.withinClass()),
        sign,
        cos,
        counts,
        pairs.uncertainSignPairs(),
        pairs.zeroNormRows().length + (long) (rows == cols ? 0 : pairs.zeroNormCols().length));
  }

  /** xi with its interval, or nulls and the reason (name and the numbers behind it). */
  static CriticalLengthSummary criticalLength(CriticalLength.Result result) {
    if (result instanceof CriticalLength.Estimate e) {
      return new CriticalLengthSummary(
          finiteOrNull(e.xi()), finiteOrNull(e.low()), finiteOrNull(e.high()), null);
    }
    CriticalLength.NoCrossing none = (CriticalLength.NoCrossing) result;
    return new CriticalLengthSummary(
        null, null, null, none.reason().name().toLowerCase() + ": " + none.detail());
  }

  static List<DistanceBin> bins(BinnedStiffness binned) {
    List<DistanceBin> out = new ArrayList<>(binned.binCount());
    for (int k = 0; k < binned.binCount(); k++) {
      out.add(
          new DistanceBin(
              binned.lo(k),
              binned.hi(k),
              binned.pairs(k),
              finiteOrNull(binned.meanSign(k)),
              finiteOrNull(binned.meanCosine(k))));
    }
    return out;
  }

  /** JSON has no NaN: an undefined mean (no pairs) is written as null. */
  static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  @Override
  public void close() {
    manager.close();
  }
}
