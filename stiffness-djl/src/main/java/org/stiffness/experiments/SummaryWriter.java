package org.stiffness.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.stiffness.gradients.Examples;
import org.stiffness.io.NpyWriter;
import org.stiffness.stats.BinnedStiffness;
import org.stiffness.stats.ClassGroupStiffness;
import org.stiffness.stats.ClassGroups;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceProfile;
import org.stiffness.stats.GradientCoherence;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.stats.tiles.Grouping;
import org.stiffness.stats.tiles.PairMatrixWriter;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.summary.ExperimentSummary.ClassCoherence;
import org.stiffness.summary.ExperimentSummary.ClassGroupsSummary;
import org.stiffness.summary.ExperimentSummary.CoherenceSummary;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.DistanceBin;
import org.stiffness.summary.ExperimentSummary.GroupingSummary;
import org.stiffness.summary.ExperimentSummary.PairValue;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.PairingSpec;

/**
 * Writes what a measurement reports of each pairing at a checkpoint: the {@link PairingSummary} of
 * its statistics and its matrices under {@code <experiment dir>/<checkpoint dir>/}, the same for a
 * measurement in one process and for a merge of shards.
 *
 * <p>Each pairing writes three {@code (classes, classes)} matrices: {@code
 * <pairing>.class-sign.npy} and {@code <pairing>.class-cos.npy} ({@code <f8}, NaN for a cell
 * without pairs) and {@code <pairing>.pair-counts.npy} ({@code <i8}); with extra groupings, the
 * same per grouping ({@code <pairing>.<grouping>-sign.npy}, ...); with class groups in the
 * settings, the {@code (groups, groups)} {@code <pairing>.class-groups-sign.npy}, {@code -cos.npy}
 * and {@code -pair-counts.npy}; and when the settings ask for them, the full pair matrices {@code
 * <pairing>.cos.npy} and {@code <pairing>.sign.npy} ({@link #pairMatrices}).
 */
public final class SummaryWriter {
  private final MeasurementDesign design;
  private final Path experimentDir;
  private final MeasurementSettings settings;

  /**
   * @param design the sets, pairings and groupings measured
   * @param experimentDir the directory the matrix paths are relative to
   * @param settings the class groups and whether pair matrices are written
   * @throws IllegalArgumentException when the class groups are for another number of classes
   */
  public SummaryWriter(MeasurementDesign design, Path experimentDir, MeasurementSettings settings) {
    this.design = Objects.requireNonNull(design, "design");
    this.experimentDir = Objects.requireNonNull(experimentDir, "experimentDir");
    this.settings = Objects.requireNonNull(settings, "settings");
    ClassGroups classGroups = settings.classGroups();
    if (classGroups != null && classGroups.classes() != design.classes()) {
      throw new IllegalArgumentException(
          "class groups "
              + classGroups.name()
              + " are for "
              + classGroups.classes()
              + " classes, the measurement has "
              + design.classes());
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
        design.rows(pairing).size(),
        design.cols(pairing).size());
  }

  /**
   * Writes the class (and grouping) matrices of a pairing under {@code checkpointDir} and returns
   * the pairing's summary, made from its statistics, which names those files.
   *
   * @param checkpointDir relative to the experiment directory, e.g. {@code
   *     matrices/lr=0.001/step=000120}
   * @throws IOException when a matrix cannot be written
   */
  public PairingSummary writeSummary(
      PairingSpec pairing, PairingStatistics statistics, String checkpointDir) throws IOException {
    boolean symmetric = pairing.symmetric();
    ClassStiffness byClass = statistics.classes();
    DistanceProfile profile = statistics.distanceProfile();
    String prefix = checkpointDir + "/" + pairing.key();
    String[] paths = writeClassMatrices(byClass, design.classes(), prefix + ".class");
    Map<String, GroupingSummary> byGroup = null;
    if (!design.groupings().isEmpty()) {
      byGroup = new LinkedHashMap<>();
      for (Grouping g : design.groupings()) {
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
                ClassGroupStiffness.of(byClass, settings.classGroups()), prefix + ".class-groups"),
        coherence(statistics.coherence(), design.rows(pairing)));
  }

  /** The coherence figures of a set with itself, pairs named by position and id; else null. */
  static CoherenceSummary coherence(GradientCoherence c, Examples set) {
    if (c == null) {
      return null;
    }
    List<ClassCoherence> classes = new ArrayList<>();
    for (int k = 0; k < c.classAlpha().length; k++) {
      classes.add(
          new ClassCoherence(
              c.classExamples()[k],
              finiteOrNull(c.classAlpha()[k]),
              finiteOrNull(c.classRatio(k)),
              pair(c.classCosine()[k], set),
              pair(c.classInnerProduct()[k], set)));
    }
    return new CoherenceSummary(
        c.examples(),
        finiteOrNull(c.alpha()),
        finiteOrNull(c.ratio()),
        pair(c.cosine(), set),
        pair(c.innerProduct(), set),
        classes);
  }

  private static PairValue pair(GradientCoherence.MostNegative m, Examples set) {
    return m == null
        ? null
        : new PairValue(
            m.value(),
            List.of(m.first(), m.second()),
            List.of(set.id(m.first()), set.id(m.second())));
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
        null, null, null, none.reason().name().toLowerCase(Locale.ROOT) + ": " + none.detail());
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
}
