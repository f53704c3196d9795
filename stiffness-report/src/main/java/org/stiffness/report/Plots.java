package org.stiffness.report;

import static org.stiffness.report.ChartStyle.DASHED;
import static org.stiffness.report.ChartStyle.SOLID;
import static org.stiffness.report.ChartStyle.chart;
import static org.stiffness.report.ChartStyle.line;
import static org.stiffness.report.ChartStyle.stack;
import static org.stiffness.report.FigureData.checkpoint;
import static org.stiffness.report.FigureData.lr;
import static org.stiffness.report.FigureData.pairing;
import static org.stiffness.report.FigureData.stepPoints;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.stiffness.io.ClassMatrixFile;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.ClassGroupsSummary;
import org.stiffness.summary.ExperimentSummary.DistanceBin;
import org.stiffness.summary.ExperimentSummary.GroupingSummary;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;
import org.stiffness.summary.PairingSpec;

/**
 * The paper's figures as PNGs, drawn from an experiment's {@code summary.json} and the class
 * matrices ({@code .npy}) it points to. Every file is written atomically. Which figures a report
 * has is {@link FigureCatalogue}'s, what they show is selected by {@link FigureData}, and how they
 * look is {@link ChartStyle}'s.
 */
public final class Plots {
  /**
   * Distance bins with fewer pairs are left out of the stiffness-vs-distance curves (their pair
   * counts are still drawn): a mean over a few pairs is +1 or -1 by chance.
   */
  public static final long MIN_BIN_PAIRS = DistancePlot.MIN_BIN_PAIRS;

  private final FigureData data;

  /**
   * @param summary the experiment's summary
   * @param experimentDir the directory the summary's matrix paths are relative to
   * @param classNames class k's name at index k, or null to take {@code config.class_names} when
   *     the summary has it, else the class indices
   */
  public Plots(ExperimentSummary summary, Path experimentDir, List<String> classNames) {
    this.data = new FigureData(summary, experimentDir, classNames);
  }

  // ---------------------------------------------------------------- 1. class heatmaps

  /**
   * Class stiffness heatmap of one checkpoint and pairing: cell (i, j) is the mean stiffness
   * between examples of class i and class j, on a diverging colour scale fixed to {@code [-1, 1]}.
   *
   * @param run index into {@code summary.runs()}
   * @param checkpoint index into the run's checkpoints; negative counts from the end (-1 = last)
   * @param order display order and group boundaries, or null for the order of the pairing's class
   *     groups when the summary has them ({@code class_groups}), else index order without
   *     boundaries
   * @param out the PNG to write
   * @return {@code out}
   */
  public Path classHeatmap(
      int run, int checkpoint, String pairing, StiffnessMeasure measure, ClassOrder order, Path out)
      throws IOException {
    Run r = data.runs().get(run);
    Checkpoint cp = checkpoint(r, checkpoint);
    PairingSummary ps = pairing(cp, pairing);
    String rel = measure == StiffnessMeasure.SIGN ? ps.classSignMatrix() : ps.classCosMatrix();
    if (rel == null) {
      throw new IOException(
          "no " + measure + " class matrix for " + pairing + " at step " + cp.step());
    }
    Path file = data.file(rel);
    double[] matrix = ClassMatrixFile.readRowMajor(file);
    int c = (int) Math.round(Math.sqrt(matrix.length));
    ClassOrder o =
        order != null
            ? order
            : ps.classGroups() != null
                ? ClassOrder.byGroup(FigureData.ints(ps.classGroups().groupOfClass()))
                : ClassOrder.identity(c);
    if (o.classes() != c) {
      throw new IllegalArgumentException(
          "class order has " + o.classes() + " classes, " + file + " has " + c);
    }
    List<String> names = data.names(c);
    int[] perm = o.order();
    List<String> shown = new ArrayList<>();
    for (int k : perm) {
      shown.add(names.get(k));
    }
    String title =
        String.format(
            "%s class stiffness, %s, lr %s, step %d",
            FigureCatalogue.title(measure), pairing, lr(r.lr()), cp.step());
    PairingSpec sides = PairingSpec.parse(pairing);
    BufferedImage img =
        new ClassHeatmap(shown)
            .render(
                matrix,
                shown,
                perm,
                o.groupSizes(),
                title,
                "class of " + sides.cols() + " example",
                "class of " + sides.rows() + " example");
    return PngFiles.writePng(out, img);
  }

  /**
   * Heatmap of another grouping's stiffness matrix (MNLI: genre x genre) at one checkpoint, in
   * group index order with the group names the summary records.
   *
   * @param grouping key in {@code PairingSummary.groupings()}
   * @return {@code out}
   */
  public Path groupingHeatmap(
      int run, int checkpoint, String pairing, String grouping, StiffnessMeasure measure, Path out)
      throws IOException {
    Run r = data.runs().get(run);
    Checkpoint cp = checkpoint(r, checkpoint);
    PairingSummary ps = pairing(cp, pairing);
    GroupingSummary g = ps.groupings() == null ? null : ps.groupings().get(grouping);
    if (g == null) {
      throw new IOException("no grouping " + grouping + " in " + pairing + " at " + cp.step());
    }
    String rel = measure == StiffnessMeasure.SIGN ? g.classSignMatrix() : g.classCosMatrix();
    double[] matrix = data.matrix(rel);
    ClassOrder o = ClassOrder.identity(g.groups());
    String title =
        String.format(
            "%s %s stiffness, %s, lr %s, step %d",
            FigureCatalogue.title(measure), grouping, pairing, lr(r.lr()), cp.step());
    PairingSpec sides = PairingSpec.parse(pairing);
    BufferedImage img =
        new ClassHeatmap(g.groupNames())
            .render(
                matrix,
                g.groupNames(),
                o.order(),
                o.groupSizes(),
                title,
                grouping + " of " + sides.cols() + " example",
                grouping + " of " + sides.rows() + " example");
    return PngFiles.writePng(out, img);
  }

  /**
   * Heatmap of the class groups' matrix at one checkpoint: cell (g, h) is the mean stiffness of
   * pairs of different classes, the first in group g, the second in group h; the diagonal is each
   * group's within-group stiffness (grey for a group of one class).
   *
   * @return {@code out}
   */
  public Path classGroupsHeatmap(
      int run, int checkpoint, String pairing, StiffnessMeasure measure, Path out)
      throws IOException {
    Run r = data.runs().get(run);
    Checkpoint cp = checkpoint(r, checkpoint);
    ClassGroupsSummary g = pairing(cp, pairing).classGroups();
    if (g == null) {
      throw new IOException("no class groups in " + pairing + " at step " + cp.step());
    }
    String rel = measure == StiffnessMeasure.SIGN ? g.groupSignMatrix() : g.groupCosMatrix();
    double[] matrix = data.matrix(rel);
    ClassOrder o = ClassOrder.identity(g.groupNames().size());
    String title =
        String.format(
            "%s stiffness by class group, %s, lr %s, step %d",
            FigureCatalogue.title(measure), pairing, lr(r.lr()), cp.step());
    String[] sides = pairing.split("-");
    BufferedImage img =
        new ClassHeatmap(g.groupNames())
            .render(
                matrix,
                g.groupNames(),
                o.order(),
                o.groupSizes(),
                title,
                g.name() + " group of " + sides[1] + " example's class",
                g.name() + " group of " + sides[0] + " example's class");
    return PngFiles.writePng(out, img);
  }

  // ---------------------------------------------------------------- 2. stiffness over training

  /**
   * Within- and between-class stiffness (sign solid, cosine dashed) of one pairing vs training step
   * for one learning rate, on a symlog step axis ({@link StepAxis}). Loss and accuracy, which do
   * not depend on the pairing, are {@link #lossAndAccuracy}'s own figure.
   */
  public Path stiffnessOverTraining(int run, String pairing, Path out) throws IOException {
    Run r = data.runs().get(run);
    List<Checkpoint> cps = r.checkpoints();
    XYChart top =
        chart("Stiffness over training, " + pairing + ", lr " + lr(r.lr()), "step", "stiffness");
    StepAxis.apply(top);
    top.getStyler().setYAxisMin(-1.0).setYAxisMax(1.0);
    Color within = new Color(214, 39, 40);
    Color between = new Color(31, 119, 180);
    Function<Function<PairingSummary, Double>, FigureData.Points> points =
        value -> stepPoints(cps, cp -> value.apply(pairing(cp, pairing)));
    line(top, "within-class sign", points.apply(PairingSummary::withinSign), within, SOLID);
    line(top, "between-class sign", points.apply(PairingSummary::betweenSign), between, SOLID);
    line(top, "within-class cosine", points.apply(PairingSummary::withinCos), within, DASHED);
    line(top, "between-class cosine", points.apply(PairingSummary::betweenCos), between, DASHED);
    return PngFiles.writePng(out, stack(top));
  }

  /**
   * Train and validation loss (left axis, solid) and accuracy (right axis, dashed) vs training step
   * for one learning rate, on the same symlog step axis as {@link #stiffnessOverTraining}.
   */
  public Path lossAndAccuracy(int run, Path out) throws IOException {
    Run r = data.runs().get(run);
    List<Checkpoint> cps = r.checkpoints();
    XYChart bottom = chart("Loss and accuracy, lr " + lr(r.lr()), "step", "loss");
    StepAxis.apply(bottom);
    Color train = new Color(44, 160, 44);
    Color val = new Color(148, 103, 189);
    XYSeries tl = line(bottom, "train loss", stepPoints(cps, Checkpoint::trainLoss), train, SOLID);
    XYSeries vl = line(bottom, "val loss", stepPoints(cps, Checkpoint::valLoss), val, SOLID);
    XYSeries ta =
        line(bottom, "train accuracy", stepPoints(cps, Checkpoint::trainAcc), train, DASHED);
    XYSeries va = line(bottom, "val accuracy", stepPoints(cps, Checkpoint::valAcc), val, DASHED);
    if (tl == null && vl == null && ta == null && va == null) {
      // A merge without losses: an empty chart would throw in XChart; a placeholder says so.
      ChartStyle.placeholder(bottom, "no loss or accuracy recorded");
      return PngFiles.writePng(out, stack(bottom));
    }
    if (ta != null) {
      ta.setYAxisGroup(1);
    }
    if (va != null) {
      va.setYAxisGroup(1);
    }
    bottom.setYAxisGroupTitle(0, "loss");
    bottom.setYAxisGroupTitle(1, "accuracy");
    bottom.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    bottom.getStyler().setYAxisMin(1, 0.0).setYAxisMax(1, 1.0);
    return PngFiles.writePng(out, stack(bottom));
  }

  // ---------------------------------------------------------------- 3. stiffness vs distance

  /**
   * Stiffness vs the cosine distance of the inputs at one checkpoint of every run: sign stiffness
   * on top, cosine in the middle, each bin's pair count at the bottom. All pairs solid,
   * within-class pairs dashed, one colour per learning rate; each curve has a band of one standard
   * error ({@link DistancePlot#standardError}); bins with fewer than {@link
   * DistancePlot#MIN_BIN_PAIRS} pairs are left out of the stiffness panels.
   *
   * @param checkpoint index into each run's checkpoints; negative counts from the end (-1 = last)
   */
  public Path stiffnessVsDistance(String pairing, int checkpoint, Path out) throws IOException {
    String when = checkpoint == -1 ? "last checkpoint" : "checkpoint " + checkpoint;
    XYChart sign =
        DistancePlot.stiffnessPanel(
            "Sign stiffness vs input distance, " + pairing + ", " + when, "sign stiffness");
    XYChart cos =
        DistancePlot.stiffnessPanel(
            "Cosine stiffness vs input distance, " + pairing + ", " + when, "cosine stiffness");
    DistancePlot.Counts counts =
        new DistancePlot.Counts("Pairs per distance bin, " + pairing + ", " + when);
    for (int i = 0; i < data.runs().size(); i++) {
      Run r = data.runs().get(i);
      Checkpoint cp = checkpoint(r, checkpoint);
      PairingSummary ps = pairing(cp, pairing);
      Color colour = ChartStyle.runColour(i);
      String name = "lr " + lr(r.lr()) + " (step " + cp.step() + ")";
      DistancePlot.curve(
          sign, name + " all pairs", ps.distanceProfile(), DistanceBin::meanSign, colour, SOLID);
      DistancePlot.curve(
          sign,
          name + " within class",
          ps.withinClassDistanceProfile(),
          DistanceBin::meanSign,
          colour,
          DASHED);
      DistancePlot.curve(
          cos, name + " all pairs", ps.distanceProfile(), DistanceBin::meanCos, colour, SOLID);
      DistancePlot.curve(
          cos,
          name + " within class",
          ps.withinClassDistanceProfile(),
          DistanceBin::meanCos,
          colour,
          DASHED);
      counts.add("all pairs", ps.distanceProfile(), SOLID);
      counts.add("within class", ps.withinClassDistanceProfile(), DASHED);
    }
    DistancePlot.placeholderIfEmpty(sign);
    DistancePlot.placeholderIfEmpty(cos);
    XYChart count = counts.chart();
    // One distance range for the three panels, so a bin sits at the same x in each.
    for (XYChart panel : List.of(sign, cos, count)) {
      counts.shareRange(panel);
    }
    return PngFiles.writePng(out, stack(sign, cos, count));
  }

  // ---------------------------------------------------------------- 4. critical length

  /**
   * Critical length xi vs training step, one curve per learning rate, with the bootstrap interval
   * as error bars: solid from within-class pairs (the paper's xi), dashed from all pairs.
   * Checkpoints without a crossing (null xi) are left out; the report counts them ({@link
   * FigureData#checkpointsWithoutCrossing}).
   */
  public Path criticalLengthOverTraining(String pairing, Path out) throws IOException {
    return PngFiles.writePng(out, CriticalLengthPlot.figure(data, pairing));
  }

  // ---------------------------------------------------------------- everything

  /**
   * Writes every figure into {@code plotDir}: loss and accuracy once per run; for each pairing
   * present, stiffness over training per run, stiffness vs distance at the last checkpoint, xi over
   * training, and the sign and cosine class heatmaps at the last checkpoint of each run (and of the
   * class groups and other groupings when the summary has them); {@link FigureCatalogue} lists
   * them.
   *
   * @param order class display order for the heatmaps, or null for the class groups' order (see
   *     {@link #classHeatmap}) or index order
   * @return the figures, in report order within each section ({@link Figure#section()})
   */
  public List<Figure> writeAll(Path plotDir, ClassOrder order) throws IOException {
    Files.createDirectories(plotDir);
    List<Figure> figures = new ArrayList<>();
    for (FigureCatalogue.Entry e : FigureCatalogue.entries(this, data, order)) {
      Path file = e.drawing().draw(plotDir.resolve(e.fileName()));
      figures.add(new Figure(file, e.section(), e.caption(), e.kind(), e.pairing(), e.measure()));
    }
    return figures;
  }
}
