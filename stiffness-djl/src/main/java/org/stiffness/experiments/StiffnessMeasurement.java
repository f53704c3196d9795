package org.stiffness.experiments;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.DeviceTile;
import org.stiffness.io.NpyWriter;
import org.stiffness.stats.BinnedStiffness;
import org.stiffness.stats.ClassGroupStiffness;
import org.stiffness.stats.ClassGroups;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceProfile;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.stats.TimedTileDistances;
import org.stiffness.stats.tiles.PairMatrixWriter;
import org.stiffness.stats.tiles.PairingSide;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.StatisticsSpec;
import org.stiffness.summary.ExperimentSummary.ClassGroupsSummary;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.DistanceBin;
import org.stiffness.summary.ExperimentSummary.GroupingSummary;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.Pairing;
import org.stiffness.summary.PairingSpec;

/**
 * Stiffness of a frozen model on two fixed example subsets (train and val), for the paper's three
 * pairings train-train, train-val and val-val: class matrices, S_within / S_between, stiffness vs
 * input distance and the critical length xi.
 *
 * <p>The subsets do not change over training, so they are built once, with what makes their input
 * distances (the cosine distances of the inputs exactly as fed to the model): each checkpoint's
 * Gram tiles are reduced to the statistics where they are computed, with their distances, and freed
 * ({@code StiffnessEngine.statistics}); nothing N x M is held. Val examples get ids that no train
 * example has, so a train-val pair is never taken for a self-pair.
 *
 * <p>Per checkpoint, each pairing writes three {@code (classes, classes)} matrices under {@code
 * <experiment dir>/<checkpoint dir>/}: {@code <pairing>.class-sign.npy} and {@code
 * <pairing>.class-cos.npy} ({@code <f8}, NaN for a cell without pairs) and {@code
 * <pairing>.pair-counts.npy} ({@code <i8}); with class groups in the settings, also the {@code
 * (groups, groups)} {@code <pairing>.class-groups-sign.npy}, {@code -cos.npy} and {@code
 * -pair-counts.npy}.
 */
public final class StiffnessMeasurement implements AutoCloseable {

  private final NDManager manager;
  private final Device device;
  private final MeasurementSettings settings;
  private final Path experimentDir;
  private final int classes;
  private final Map<String, MeasuredSet> sets = new LinkedHashMap<>();
  private final List<PairingSpec> pairings;
  private final List<Grouping> groupings;
  private final Map<String, TimedTileDistances> distances = new LinkedHashMap<>();
  private final Map<String, StatisticsSpec> specs = new LinkedHashMap<>();
  private final MeasurementTimes times = new MeasurementTimes();
  private final InputDistance distance;
  private Path savedSubsets;

  /**
   * The general measurement: any named sets, any pairings of them, extra groupings and input
   * distance. Sets must carry disjoint ids unless they share examples on purpose (a shared id is a
   * self-pair).
   *
   * @param sets builds the sets on the measurement's own manager (which owns them until {@link
   *     #close()})
   * @param pairings what to measure, in summary order; every name must be a set's
   * @param groupings extra groupings present in every set
   * @param distance input distance of each pairing, computed once here
   * @param classes number of classes n_c
   * @param device where the Gram matrices are computed
   * @param experimentDir the directory the matrix paths are relative to
   * @param settings statistics settings
   */
  public StiffnessMeasurement(
      java.util.function.Function<NDManager, List<MeasuredSet>> sets,
      List<PairingSpec> pairings,
      List<Grouping> groupings,
      InputDistance distance,
      int classes,
      Device device,
      Path experimentDir,
      MeasurementSettings settings) {
    this.device = Objects.requireNonNull(device, "device");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.experimentDir = Objects.requireNonNull(experimentDir, "experimentDir");
    this.classes = classes;
    ClassGroups classGroups = settings.classGroups();
    if (classGroups != null && classGroups.classes() != classes) {
      throw new IllegalArgumentException(
          "class groups "
              + classGroups.name()
              + " are for "
              + classGroups.classes()
              + " classes, the measurement has "
              + classes);
    }
    this.pairings = List.copyOf(pairings);
    this.groupings = List.copyOf(groupings);
    this.distance = distance;
    this.manager = NDManager.newBaseManager(device);
    try {
      for (MeasuredSet s : sets.apply(manager)) {
        if (this.sets.put(s.name(), s) != null) {
          throw new IllegalArgumentException("two measured sets are called " + s.name());
        }
        for (Grouping g : this.groupings) {
          if (!s.groups().containsKey(g.name())) {
            throw new IllegalArgumentException(s.name() + ": no grouping " + g.name());
          }
        }
      }
      Map<MeasuredSet, PairingSide> sides = new java.util.IdentityHashMap<>();
      for (PairingSpec p : this.pairings) {
        MeasuredSet rows = set(p.rows());
        MeasuredSet cols = set(p.cols());
        TimedTileDistances d = new TimedTileDistances(distance.between(rows, cols, manager));
        distances.put(p.key(), d);
        // X = X shares one side object: that is what makes the statistics mirror its tiles.
        PairingSide r = sides.computeIfAbsent(rows, StiffnessMeasurement::side);
        PairingSide c = sides.computeIfAbsent(cols, StiffnessMeasurement::side);
        List<org.stiffness.stats.tiles.Grouping> byName = new ArrayList<>();
        for (Grouping g : this.groupings) {
          byName.add(new org.stiffness.stats.tiles.Grouping(g.name(), g.groupNames().size()));
        }
        specs.put(p.key(), new StatisticsSpec(r, c, classes, byName, d, settings.statistics()));
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** train-train, train-val, val-val. */
  public static List<PairingSpec> standardPairings() {
    List<PairingSpec> out = new ArrayList<>();
    for (Pairing p : Pairing.values()) {
      out.add(p.spec());
    }
    return out;
  }

  private MeasuredSet set(String name) {
    MeasuredSet s = sets.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "pairing names set " + name + ", but the sets are " + sets.keySet());
    }
    return s;
  }

  /** The fixed train subset as fed to the engine. */
  public Examples trainExamples() {
    return set("train").examples();
  }

  /** The fixed val subset as fed to the engine (ids offset past the train ids). */
  public Examples valExamples() {
    return set("val").examples();
  }

  /**
   * Measures every pairing of the model as it is now.
   *
   * @param model the model at this checkpoint (not modified; the engine snapshots it)
   * @param checkpointDir where this checkpoint's matrices go, relative to the experiment directory,
   *     e.g. {@code matrices/lr=0.001/step=000120}
   * @return summaries keyed by pairing ({@code train-train}, {@code train-val}, {@code val-val},
   *     ...), in pairing order
   * @throws IOException when a matrix cannot be written
   */
  public Map<String, PairingSummary> measure(Block model, String checkpointDir) throws IOException {
    if (settings.export()) {
      Path exportDir = experimentDir.resolve("export");
      if (!Files.exists(exportDir.resolve("subsets.npz"))) {
        List<MeasuredSet> all = List.copyOf(sets.values());
        Export.subsets(exportDir.resolve("subsets.npz"), all);
        Export.architecture(
            exportDir.resolve("architecture.json"),
            model,
            all.get(0).examples(),
            model.getClass().getName());
      }
      Export.parameters(experimentDir.resolve(checkpointDir).resolve("parameters.npz"), model);
    }
    if (settings.checkpointModel() != null) {
      if (InputDistance.CUSTOM.equals(distance.name())) {
        // A reader could not recompute the distances, so the statistics would not reproduce.
        throw new IllegalStateException(
            "saved checkpoints need an input distance with a name a reader can rebuild; this"
                + " measurement's distance is '"
                + InputDistance.CUSTOM
                + "'");
      }
      savedSubsets =
          SavedCheckpoint.save(
              experimentDir.resolve(SavedCheckpoint.directoryOf(checkpointDir)),
              model,
              settings.checkpointModel(),
              classes,
              new SavedCheckpoint.Measured(
                  List.copyOf(sets.values()), pairings, groupings, distance, settings),
              checkpointDir,
              savedSubsets);
    }
    try (StiffnessEngine engine =
        StiffnessEngine.builder(model).device(device).options(settings.gram()).build()) {
      Map<String, PairingSummary> out = new LinkedHashMap<>();
      for (PairingSpec pairing : pairings) {
        MeasuredSet rows = set(pairing.rows());
        MeasuredSet cols = set(pairing.cols());
        double distancesBefore = distanceSeconds();
        PairingStatistics statistics;
        try (PairMatrixWriter pairs = pairMatrices(pairing, checkpointDir)) {
          statistics =
              engine.statistics(
                  rows.examples(),
                  rows == cols ? rows.examples() : cols.examples(),
                  spec(pairing),
                  tile -> {
                    if (pairs != null) {
                      write(pairs, tile);
                    }
                  });
          if (pairs != null) {
            pairs.commit();
          }
        }
        times.add(engine.lastReport(), distanceSeconds() - distancesBefore);
        out.put(pairing.key(), summarise(pairing, statistics, checkpointDir));
      }
      return out;
    }
  }

  private static void write(PairMatrixWriter pairs, DeviceTile tile) {
    try {
      pairs.write(tile.toHost(), tile.mirrored());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The writer of a pairing's full cosine and sign matrices ({@code <pairing>.cos.npy}, {@code
   * <pairing>.sign.npy} under {@code checkpointDir}) when the settings ask for them, else null.
   */
  public PairMatrixWriter pairMatrices(PairingSpec pairing, String checkpointDir)
      throws IOException {
    if (!settings.pairMatrices()) {
      return null;
    }
    String prefix = checkpointDir + "/" + pairing.key();
    return new PairMatrixWriter(
        experimentDir.resolve(prefix + ".cos.npy"),
        experimentDir.resolve(prefix + ".sign.npy"),
        set(pairing.rows()).examples().size(),
        set(pairing.cols()).examples().size());
  }

  /** What the statistics of {@code pairing} are taken from besides its tiles. */
  public StatisticsSpec spec(PairingSpec pairing) {
    StatisticsSpec spec = specs.get(pairing.key());
    if (spec == null) {
      throw new IllegalArgumentException(
          "no pairing " + pairing.key() + " in this measurement (" + specs.keySet() + ")");
    }
    return spec;
  }

  /** Seconds spent making input distances so far, over every pairing. */
  public double distanceSeconds() {
    return distances.values().stream().mapToDouble(TimedTileDistances::seconds).sum();
  }

  /** Gradient, product and statistics time of every Gram computation of this measurement. */
  public MeasurementTimes times() {
    return times;
  }

  private static PairingSide side(MeasuredSet set) {
    return new PairingSide(set.examples().ids(), set.labels(), set.groups());
  }

  /** The measured sets, in order. */
  public List<MeasuredSet> sets() {
    return List.copyOf(sets.values());
  }

  /** The pairings, in summary order. */
  public List<PairingSpec> pairings() {
    return pairings;
  }

  /**
   * The summary of a pairing from its statistics, writing its class (and grouping) matrices under
   * {@code checkpointDir} as every measurement writes them.
   *
   * @throws IOException when a matrix cannot be written
   */
  public PairingSummary summarise(
      PairingSpec pairing, PairingStatistics statistics, String checkpointDir) throws IOException {
    boolean symmetric = pairing.symmetric();
    ClassStiffness byClass = statistics.classes();
    DistanceProfile profile = statistics.distanceProfile();
    String prefix = checkpointDir + "/" + pairing.key();
    String[] paths = writeClassMatrices(byClass, classes, prefix + ".class");
    Map<String, GroupingSummary> byGroup = null;
    if (!groupings.isEmpty()) {
      byGroup = new LinkedHashMap<>();
      for (Grouping g : groupings) {
        int k = g.groupNames().size();
        ClassStiffness s = statistics.groupings().get(g.name());
        String[] gp = writeClassMatrices(s, k, prefix + "." + g.name());
        byGroup.put(
            g.name(),
            new GroupingSummary(
                k,
                g.groupNames(),
                finiteOrNull(s.withinClassStiffness(StiffnessMeasure.SIGN)),
                finiteOrNull(s.betweenClassStiffness(StiffnessMeasure.SIGN)),
                finiteOrNull(s.withinClassStiffness(StiffnessMeasure.COSINE)),
                finiteOrNull(s.betweenClassStiffness(StiffnessMeasure.COSINE)),
                gp[0],
                gp[1],
                gp[2]));
      }
    }

    return new PairingSummary(
        finiteOrNull(byClass.withinClassStiffness(StiffnessMeasure.SIGN)),
        finiteOrNull(byClass.betweenClassStiffness(StiffnessMeasure.SIGN)),
        finiteOrNull(byClass.withinClassStiffness(StiffnessMeasure.COSINE)),
        finiteOrNull(byClass.betweenClassStiffness(StiffnessMeasure.COSINE)),
        criticalLength(statistics.criticalLength()),
        criticalLength(statistics.criticalLengthAllPairs()),
        bins(profile.allPairs()),
        bins(profile.withinClass()),
        paths[0],
        paths[1],
        paths[2],
        statistics.uncertainSignPairs(),
        statistics.zeroNormRows().length
            + (long) (symmetric ? 0 : statistics.zeroNormCols().length),
        byGroup,
        settings.classGroups() == null
            ? null
            : classGroups(
                ClassGroupStiffness.of(byClass, settings.classGroups()), prefix + ".class-groups"));
  }

  /**
   * The summary of the class groups' stiffness, writing the {@code (G, G)} group matrices as {@code
   * <stem>-sign.npy}, {@code <stem>-cos.npy} and {@code <stem>-pair-counts.npy}.
   */
  private ClassGroupsSummary classGroups(ClassGroupStiffness s, String stem) throws IOException {
    ClassGroups groups = s.groups();
    int k = groups.groups();
    String sign = stem + "-sign.npy";
    String cos = stem + "-cos.npy";
    String counts = stem + "-pair-counts.npy";
    NpyWriter.write(experimentDir.resolve(sign), s.matrix(StiffnessMeasure.SIGN), k, k);
    NpyWriter.write(experimentDir.resolve(cos), s.matrix(StiffnessMeasure.COSINE), k, k);
    NpyWriter.write(experimentDir.resolve(counts), s.pairCounts(), k, k);
    return new ClassGroupsSummary(
        groups.name(),
        groups.groupNames(),
        Arrays.stream(groups.groupOf()).boxed().toList(),
        s.withinGroupPairs(),
        finiteOrNull(s.withinGroupStiffness(StiffnessMeasure.SIGN)),
        finiteOrNull(s.withinGroupStiffness(StiffnessMeasure.COSINE)),
        s.acrossGroupPairs(),
        finiteOrNull(s.acrossGroupStiffness(StiffnessMeasure.SIGN)),
        finiteOrNull(s.acrossGroupStiffness(StiffnessMeasure.COSINE)),
        sign,
        cos,
        counts);
  }

  /**
   * Writes {@code <stem>-sign.npy}, {@code <stem>-cos.npy} ({@code <f8}, NaN for a cell without
   * pairs) and the pair counts ({@code <i8}; {@code <pairing>.pair-counts.npy} for classes, {@code
   * <stem>-pair-counts.npy} for other groupings), returning the three relative paths.
   */
  private String[] writeClassMatrices(ClassStiffness byClass, int k, String stem)
      throws IOException {
    String sign = stem + "-sign.npy";
    String cos = stem + "-cos.npy";
    String counts =
        stem.endsWith(".class")
            ? stem.substring(0, stem.length() - ".class".length()) + ".pair-counts.npy"
            : stem + "-pair-counts.npy";
    NpyWriter.write(experimentDir.resolve(sign), byClass.matrix(StiffnessMeasure.SIGN), k, k);
    NpyWriter.write(experimentDir.resolve(cos), byClass.matrix(StiffnessMeasure.COSINE), k, k);
    NpyWriter.write(experimentDir.resolve(counts), byClass.pairCounts(), k, k);
    return new String[] {sign, cos, counts};
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
