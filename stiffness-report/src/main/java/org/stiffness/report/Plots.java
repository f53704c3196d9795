package org.stiffness.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyReader;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.ClassGroupsSummary;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.DistanceBin;
import org.stiffness.summary.ExperimentSummary.GroupingSummary;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;
import org.stiffness.summary.PairingSpec;

/**
 * The paper's figures as PNGs, drawn from an experiment's {@code summary.json} and the class
 * matrices ({@code .npy}) it points to. Every file is written atomically.
 */
public final class Plots {
  /** Width, in pixels, of a single line-chart panel. */
  public static final int PANEL_WIDTH = 900;

  /** Height, in pixels, of a single line-chart panel. */
  public static final int PANEL_HEIGHT = 420;

  /**
   * Distance bins with fewer pairs are left out of the stiffness-vs-distance curves (their pair
   * counts are still drawn): a mean over a few pairs is +1 or -1 by chance.
   */
  public static final long MIN_BIN_PAIRS = DistancePlot.MIN_BIN_PAIRS;

  /** Series colours, one per learning rate (cycled). */
  private static final Color[] RUN_COLOURS = {
    new Color(31, 119, 180),
    new Color(214, 39, 40),
    new Color(44, 160, 44),
    new Color(255, 127, 14),
    new Color(148, 103, 189),
    new Color(140, 86, 75)
  };

  static final BasicStroke SOLID = new BasicStroke(2.2f);
  static final BasicStroke DASHED =
      new BasicStroke(
          2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f);

  private final ExperimentSummary summary;
  private final Path experimentDir;
  private final List<String> classNames;

  /**
   * @param summary the experiment's summary
   * @param experimentDir the directory the summary's matrix paths are relative to
   * @param classNames class k's name at index k, or null to take {@code config.class_names} when
   *     the summary has it, else the class indices
   */
  public Plots(ExperimentSummary summary, Path experimentDir, List<String> classNames) {
    if (summary.runs() == null || summary.runs().isEmpty()) {
      throw new IllegalArgumentException("the summary has no runs to plot");
    }
    this.summary = summary;
    this.experimentDir = experimentDir;
    this.classNames =
        classNames != null ? List.copyOf(classNames) : namesFromConfig(summary.config());
  }

  private static List<String> namesFromConfig(JsonNode config) {
    JsonNode names = config == null ? null : config.get("class_names");
    if (names == null || !names.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    names.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * The definition of xi an experiment fitted, e.g. {@code cosine, d in [0, 2]}, from its
   * configuration's {@code critical_length}; null when the configuration does not record it. The
   * paper does not say which measure or window it used, and the choices give different xi
   * (docs/statistics.md, "The critical length against the paper"), so a plot of xi names its own.
   */
  static String xiDefinition(JsonNode config) {
    JsonNode xi = config == null ? null : config.get("critical_length");
    if (xi == null
        || !xi.path("measure").isTextual()
        || !xi.path("window_lo").isNumber()
        || !xi.path("window_hi").isNumber()) {
      return null;
    }
    return xi.get("measure").asText()
        + ", d in ["
        + plain(xi.get("window_lo").asDouble())
        + ", "
        + plain(xi.get("window_hi").asDouble())
        + "]";
  }

  private static String plain(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /**
   * A learning rate as written by a person: {@code 0.001}, {@code 0.01}; {@code unknown} for the
   * NaN of a merge whose checkpoint did not record it.
   */
  static String lr(double lr) {
    if (!Double.isFinite(lr)) {
      return "unknown";
    }
    return BigDecimal.valueOf(lr).stripTrailingZeros().toPlainString();
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
    Run r = summary.runs().get(run);
    Checkpoint cp = checkpoint(r, checkpoint);
    PairingSummary ps = pairing(cp, pairing);
    String rel = measure == StiffnessMeasure.SIGN ? ps.classSignMatrix() : ps.classCosMatrix();
    if (rel == null) {
      throw new IOException(
          "no " + measure + " class matrix for " + pairing + " at step " + cp.step());
    }
    Path file = experimentDir.resolve(rel);
    double[] matrix = readSquare(file);
    int c = (int) Math.round(Math.sqrt(matrix.length));
    ClassOrder o =
        order != null
            ? order
            : ps.classGroups() != null
                ? ClassOrder.byGroup(ints(ps.classGroups().groupOfClass()))
                : ClassOrder.identity(c);
    if (o.classes() != c) {
      throw new IllegalArgumentException(
          "class order has " + o.classes() + " classes, " + file + " has " + c);
    }
    List<String> names = names(c);
    int[] perm = o.order();
    List<String> shown = new ArrayList<>();
    for (int k : perm) {
      shown.add(names.get(k));
    }
    String title =
        String.format(
            "%s class stiffness, %s, lr %s, step %d",
            measure == StiffnessMeasure.SIGN ? "Sign" : "Cosine", pairing, lr(r.lr()), cp.step());
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
    Run r = summary.runs().get(run);
    Checkpoint cp = checkpoint(r, checkpoint);
    PairingSummary ps = pairing(cp, pairing);
    GroupingSummary g = ps.groupings() == null ? null : ps.groupings().get(grouping);
    if (g == null) {
      throw new IOException("no grouping " + grouping + " in " + pairing + " at " + cp.step());
    }
    String rel = measure == StiffnessMeasure.SIGN ? g.classSignMatrix() : g.classCosMatrix();
    double[] matrix = readSquare(experimentDir.resolve(rel));
    ClassOrder o = ClassOrder.identity(g.groups());
    String title =
        String.format(
            "%s %s stiffness, %s, lr %s, step %d",
            measure == StiffnessMeasure.SIGN ? "Sign" : "Cosine",
            grouping,
            pairing,
            lr(r.lr()),
            cp.step());
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
    Run r = summary.runs().get(run);
    Checkpoint cp = checkpoint(r, checkpoint);
    ClassGroupsSummary g = pairing(cp, pairing).classGroups();
    if (g == null) {
      throw new IOException("no class groups in " + pairing + " at step " + cp.step());
    }
    String rel = measure == StiffnessMeasure.SIGN ? g.groupSignMatrix() : g.groupCosMatrix();
    double[] matrix = readSquare(experimentDir.resolve(rel));
    ClassOrder o = ClassOrder.identity(g.groupNames().size());
    String title =
        String.format(
            "%s stiffness by class group, %s, lr %s, step %d",
            measure == StiffnessMeasure.SIGN ? "Sign" : "Cosine", pairing, lr(r.lr()), cp.step());
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

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  private List<String> names(int c) {
    if (classNames != null && classNames.size() == c) {
      return classNames;
    }
    List<String> out = new ArrayList<>();
    for (int k = 0; k < c; k++) {
      out.add(String.valueOf(k));
    }
    return out;
  }

  private static double[] readSquare(Path file) throws IOException {
    NpyArray a = NpyReader.read(file);
    long[] shape = a.shape();
    if (shape.length != 2 || shape[0] != shape[1]) {
      throw new IOException(file + ": a class matrix must be square (C, C)");
    }
    return switch (a.dtype()) {
      case FLOAT64 -> a.doubles();
      case FLOAT32 -> {
        float[] f = a.floats();
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) {
          d[k] = f[k];
        }
        yield d;
      }
      default -> throw new IOException(file + ": a class matrix must be float32 or float64");
    };
  }

  // ---------------------------------------------------------------- 2. stiffness over training

  /**
   * Within- and between-class stiffness (sign solid, cosine dashed) of one pairing vs training step
   * for one learning rate, on a symlog step axis ({@link StepAxis}). Loss and accuracy, which do
   * not depend on the pairing, are {@link #lossAndAccuracy}'s own figure.
   */
  public Path stiffnessOverTraining(int run, String pairing, Path out) throws IOException {
    Run r = summary.runs().get(run);
    List<Checkpoint> cps = r.checkpoints();
    XYChart top =
        chart("Stiffness over training, " + pairing + ", lr " + lr(r.lr()), "step", "stiffness");
    StepAxis.apply(top);
    top.getStyler().setYAxisMin(-1.0).setYAxisMax(1.0);
    Color within = new Color(214, 39, 40);
    Color between = new Color(31, 119, 180);
    line(top, "within-class sign", cps, cp -> pairing(cp, pairing).withinSign(), within, SOLID);
    line(top, "between-class sign", cps, cp -> pairing(cp, pairing).betweenSign(), between, SOLID);
    line(top, "within-class cosine", cps, cp -> pairing(cp, pairing).withinCos(), within, DASHED);
    line(
        top, "between-class cosine", cps, cp -> pairing(cp, pairing).betweenCos(), between, DASHED);
    return PngFiles.writePng(out, stack(top));
  }

  /**
   * Train and validation loss (left axis, solid) and accuracy (right axis, dashed) vs training step
   * for one learning rate, on the same symlog step axis as {@link #stiffnessOverTraining}.
   */
  public Path lossAndAccuracy(int run, Path out) throws IOException {
    Run r = summary.runs().get(run);
    List<Checkpoint> cps = r.checkpoints();
    XYChart bottom = chart("Loss and accuracy, lr " + lr(r.lr()), "step", "loss");
    StepAxis.apply(bottom);
    Color train = new Color(44, 160, 44);
    Color val = new Color(148, 103, 189);
    XYSeries tl = line(bottom, "train loss", cps, Checkpoint::trainLoss, train, SOLID);
    XYSeries vl = line(bottom, "val loss", cps, Checkpoint::valLoss, val, SOLID);
    XYSeries ta = line(bottom, "train accuracy", cps, Checkpoint::trainAcc, train, DASHED);
    XYSeries va = line(bottom, "val accuracy", cps, Checkpoint::valAcc, val, DASHED);
    if (tl == null && vl == null && ta == null && va == null) {
      // A merge without losses: an empty chart would throw in XChart; a placeholder says so.
      XYSeries s =
          bottom.addSeries("no loss or accuracy recorded", new double[] {0}, new double[] {0});
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(Color.WHITE);
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
    for (int i = 0; i < summary.runs().size(); i++) {
      Run r = summary.runs().get(i);
      Checkpoint cp = checkpoint(r, checkpoint);
      PairingSummary ps = pairing(cp, pairing);
      Color colour = RUN_COLOURS[i % RUN_COLOURS.length];
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
   * Checkpoints without a crossing (null xi) are left out; {@link #checkpointsWithoutCrossing}
   * counts them.
   */
  public Path criticalLengthOverTraining(String pairing, Path out) throws IOException {
    String definition = xiDefinition(summary.config());
    XYChart chart =
        chart(
            "Critical length over training, "
                + pairing
                + (definition == null ? "" : " (" + definition + ")"),
            "step",
            "xi (cosine distance of inputs)");
    StepAxis.apply(chart);
    boolean any = false;
    List<String> neverCrossed = new ArrayList<>();
    for (int i = 0; i < summary.runs().size(); i++) {
      Run r = summary.runs().get(i);
      Color colour = RUN_COLOURS[i % RUN_COLOURS.length];
      boolean within =
          xiSeries(
              chart,
              r,
              "lr " + lr(r.lr()),
              colour,
              SOLID,
              cp -> pairing(cp, pairing).criticalLength());
      if (!within) {
        neverCrossed.add(lr(r.lr()));
      }
      any |= within;
      any |=
          xiSeries(
              chart,
              r,
              "lr " + lr(r.lr()) + ", all pairs",
              colour,
              DASHED,
              cp -> pairing(cp, pairing).criticalLengthAllPairs());
    }
    if (!any) {
      // An empty chart would throw in XChart; a flat placeholder says so instead.
      XYSeries s =
          chart.addSeries("no checkpoint has a crossing", new double[] {0}, new double[] {0});
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(Color.WHITE);
    } else if (!neverCrossed.isEmpty()) {
      // A missing solid curve says nothing by itself: the legend says why it is missing.
      XYSeries first = chart.getSeriesCollection().iterator().next();
      XYSeries s =
          chart.addSeries(
              "within-class xi not measured\n(no crossing): lr " + String.join(", ", neverCrossed),
              new double[] {first.getXData()[0]},
              new double[] {first.getYData()[0]});
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(Color.GRAY);
    }
    return PngFiles.writePng(out, stack(chart));
  }

  /** One xi curve of a run with its interval bars; false when no checkpoint has a crossing. */
  private boolean xiSeries(
      XYChart chart,
      Run r,
      String label,
      Color colour,
      BasicStroke stroke,
      java.util.function.Function<Checkpoint, CriticalLengthSummary> which) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    List<double[]> bars = new ArrayList<>();
    for (Checkpoint cp : r.checkpoints()) {
      CriticalLengthSummary xi = which.apply(cp);
      if (xi == null || xi.value() == null || !Double.isFinite(xi.value()) || cp.step() == null) {
        continue;
      }
      x.add(StepAxis.position(cp.step()));
      y.add(xi.value());
      if (xi.low() != null && xi.high() != null) {
        bars.add(new double[] {StepAxis.position(cp.step()), xi.low(), xi.high()});
      }
    }
    if (x.isEmpty()) {
      return false;
    }
    int omitted = r.checkpoints().size() - x.size();
    String name = label + (omitted > 0 ? " (" + omitted + " without crossing)" : "");
    XYSeries s = chart.addSeries(name, x, y);
    style(s, colour, stroke);
    s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(colour);
    // XChart's error bars are symmetric; the bootstrap interval is not, so each bar is its own
    // path: low cap, low to high, high cap (caps 1% of the step axis wide).
    double cap = 0.01 * Math.max(1, positionRange());
    int k = 0;
    for (double[] b : bars) {
      double xs = b[0];
      XYSeries bar =
          chart.addSeries(
              name + " interval " + k++,
              new double[] {xs - cap, xs + cap, xs, xs, xs - cap, xs + cap},
              new double[] {b[1], b[1], b[1], b[2], b[2], b[2]});
      style(bar, colour, new BasicStroke(1.5f));
      bar.setShowInLegend(false);
    }
    return true;
  }

  /** Width of the step axis ({@link StepAxis#position}) the checkpoints span. */
  private double positionRange() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Run r : summary.runs()) {
      for (Checkpoint cp : r.checkpoints()) {
        if (cp.step() != null) {
          min = Math.min(min, StepAxis.position(cp.step()));
          max = Math.max(max, StepAxis.position(cp.step()));
        }
      }
    }
    return max > min ? max - min : 0;
  }

  /** Checkpoints of a run whose xi has no value (no crossing) for a pairing. */
  public static int checkpointsWithoutCrossing(Run run, String pairing) {
    int n = 0;
    for (Checkpoint cp : run.checkpoints()) {
      PairingSummary ps = cp.pairings() == null ? null : cp.pairings().get(pairing);
      CriticalLengthSummary xi = ps == null ? null : ps.criticalLength();
      if (xi == null || xi.value() == null || !Double.isFinite(xi.value())) {
        n++;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- everything

  /**
   * Writes every figure into {@code plotDir}: loss and accuracy once per run; for each pairing
   * present, stiffness over training per run, stiffness vs distance at the last checkpoint, xi over
   * training, and the sign and cosine class heatmaps at the last checkpoint of each run (and of the
   * class groups and other groupings when the summary has them).
   *
   * @param order class display order for the heatmaps, or null for the class groups' order (see
   *     {@link #classHeatmap}) or index order
   * @return the figures, in report order within each section ({@link Figure#section()})
   */
  public List<Figure> writeAll(Path plotDir, ClassOrder order) throws IOException {
    Files.createDirectories(plotDir);
    List<Figure> figures = new ArrayList<>();
    String training = ReportSection.TRAINING.title();
    for (int i = 0; i < summary.runs().size(); i++) {
      Run r = summary.runs().get(i);
      Path f = plotDir.resolve("loss-lr" + lr(r.lr()) + ".png");
      figures.add(
          new Figure(
              lossAndAccuracy(i, f),
              training,
              "Loss (solid) and accuracy (dashed), train and validation, lr " + lr(r.lr()),
              Figure.Kind.LOSS,
              null,
              null));
    }
    for (String p : pairingsPresent()) {
      for (int i = 0; i < summary.runs().size(); i++) {
        Run r = summary.runs().get(i);
        Path f = plotDir.resolve("training-" + p + "-lr" + lr(r.lr()) + ".png");
        figures.add(
            new Figure(
                stiffnessOverTraining(i, p, f),
                training,
                "Within- and between-class stiffness over training, "
                    + p
                    + ", lr "
                    + lr(r.lr())
                    + " (sign solid, cosine dashed)",
                Figure.Kind.TRAINING,
                p,
                null));
      }
      figures.add(
          new Figure(
              stiffnessVsDistance(p, -1, plotDir.resolve("distance-" + p + ".png")),
              ReportSection.DISTANCE.title(),
              "Stiffness vs cosine distance of inputs, "
                  + p
                  + ", last checkpoint; bands: one standard error; bins with fewer than "
                  + DistancePlot.MIN_BIN_PAIRS
                  + " pairs left out (bottom: pairs per bin)",
              Figure.Kind.DISTANCE,
              p,
              null));
      figures.add(
          new Figure(
              criticalLengthOverTraining(p, plotDir.resolve("xi-" + p + ".png")),
              ReportSection.CRITICAL_LENGTH.title(),
              "Critical length xi over training, " + p + ", with its bootstrap interval",
              Figure.Kind.CRITICAL_LENGTH,
              p,
              null));
    }
    for (String p : pairingsPresent()) {
      heatmaps(p, plotDir, order, figures);
    }
    return figures;
  }

  /**
   * The heatmaps of one pairing at each run's last checkpoint: classes, class groups, groupings.
   */
  private void heatmaps(String p, Path plotDir, ClassOrder order, List<Figure> figures)
      throws IOException {
    for (int i = 0; i < summary.runs().size(); i++) {
      Run r = summary.runs().get(i);
      Checkpoint last = checkpoint(r, -1);
      for (StiffnessMeasure m : StiffnessMeasure.values()) {
        String tag = m == StiffnessMeasure.SIGN ? "sign" : "cos";
        Path f = plotDir.resolve("class-" + tag + "-" + p + "-lr" + lr(r.lr()) + ".png");
        ClassGroupsSummary groups = pairing(last, p).classGroups();
        figures.add(
            new Figure(
                classHeatmap(i, -1, p, m, order, f),
                ReportSection.CLASS.title(),
                (m == StiffnessMeasure.SIGN ? "Sign" : "Cosine")
                    + " class stiffness, "
                    + p
                    + ", lr "
                    + lr(r.lr())
                    + ", step "
                    + last.step()
                    + (groups == null
                        ? ""
                        : ", by "
                            + groups.name()
                            + " group ("
                            + String.join(" | ", groups.groupNames())
                            + ")"),
                Figure.Kind.CLASS,
                p,
                m));
      }
    }
    for (int i = 0; i < summary.runs().size(); i++) {
      Run r = summary.runs().get(i);
      Checkpoint last = checkpoint(r, -1);
      ClassGroupsSummary groups = pairing(last, p).classGroups();
      if (groups == null) {
        continue;
      }
      for (StiffnessMeasure m : StiffnessMeasure.values()) {
        String tag = m == StiffnessMeasure.SIGN ? "sign" : "cos";
        Path f = plotDir.resolve("class-groups-" + tag + "-" + p + "-lr" + lr(r.lr()) + ".png");
        figures.add(
            new Figure(
                classGroupsHeatmap(i, -1, p, m, f),
                ReportSection.CLASS_GROUPS.title(),
                (m == StiffnessMeasure.SIGN ? "Sign" : "Cosine")
                    + " stiffness between different classes by "
                    + groups.name()
                    + " group, "
                    + p
                    + ", lr "
                    + lr(r.lr())
                    + ", step "
                    + last.step(),
                Figure.Kind.CLASS_GROUPS,
                p,
                m));
      }
    }
    for (int i = 0; i < summary.runs().size(); i++) {
      Run r = summary.runs().get(i);
      Checkpoint last = checkpoint(r, -1);
      Map<String, GroupingSummary> groupings = pairing(last, p).groupings();
      for (String grouping : groupings == null ? List.<String>of() : groupings.keySet()) {
        for (StiffnessMeasure m : StiffnessMeasure.values()) {
          String tag = m == StiffnessMeasure.SIGN ? "sign" : "cos";
          Path f = plotDir.resolve(grouping + "-" + tag + "-" + p + "-lr" + lr(r.lr()) + ".png");
          figures.add(
              new Figure(
                  groupingHeatmap(i, -1, p, grouping, m, f),
                  ReportSection.grouping(grouping),
                  (m == StiffnessMeasure.SIGN ? "Sign" : "Cosine")
                      + " "
                      + grouping
                      + " stiffness, "
                      + p
                      + ", lr "
                      + lr(r.lr())
                      + ", step "
                      + last.step(),
                  Figure.Kind.GROUPING,
                  p,
                  m));
        }
      }
    }
  }

  /**
   * Pairing keys that the first checkpoint of the first run measured, in summary order: the paper's
   * train-train, train-val, val-val first, then any others (MNLI's mismatched dev set).
   */
  List<String> pairingsPresent() {
    Map<String, PairingSummary> first = summary.runs().get(0).checkpoints().get(0).pairings();
    return first == null ? List.of() : new ArrayList<>(first.keySet());
  }

  // ---------------------------------------------------------------- helpers

  static Checkpoint checkpoint(Run r, int index) {
    List<Checkpoint> cps = r.checkpoints();
    if (cps == null || cps.isEmpty()) {
      throw new IllegalArgumentException("run lr " + lr(r.lr()) + " has no checkpoints");
    }
    int k = index < 0 ? cps.size() + index : index;
    if (k < 0 || k >= cps.size()) {
      throw new IndexOutOfBoundsException(
          "checkpoint " + index + " of a run with " + cps.size() + " checkpoints");
    }
    return cps.get(k);
  }

  static PairingSummary pairing(Checkpoint cp, String p) {
    PairingSummary ps = cp.pairings() == null ? null : cp.pairings().get(p);
    if (ps == null) {
      throw new IllegalArgumentException("step " + cp.step() + " has no " + p + " pairing");
    }
    return ps;
  }

  static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChart(PANEL_WIDTH, PANEL_HEIGHT);
    chart.setTitle(title);
    chart.setXAxisTitle(xTitle);
    chart.setYAxisTitle(yTitle);
    var st = chart.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotGridLinesColor(new Color(225, 225, 225));
    st.setPlotBorderColor(Color.GRAY);
    st.setLegendPosition(Styler.LegendPosition.OutsideE);
    st.setLegendBorderColor(Color.WHITE);
    st.setChartTitleBoxVisible(false);
    st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    st.setMarkerSize(6);
    st.setAntiAlias(true);
    // XChart's default pattern drops the leading zero (".05"); distances and stiffness read better
    // as 0.05 and -0.5.
    st.setXAxisDecimalPattern("0.0##");
    st.setYAxisDecimalPattern("0.0##");
    return chart;
  }

  private static XYSeries line(
      XYChart chart,
      String name,
      List<Checkpoint> cps,
      Function<Checkpoint, Double> value,
      Color colour,
      BasicStroke stroke) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (Checkpoint cp : cps) {
      Double v = value.apply(cp);
      // A merge of a checkpoint that did not record its step has no place on a step axis.
      if (v != null && Double.isFinite(v) && cp.step() != null) {
        x.add(StepAxis.position(cp.step()));
        y.add(v);
      }
    }
    if (x.isEmpty()) {
      return null;
    }
    XYSeries s = chart.addSeries(name, x, y);
    style(s, colour, stroke);
    s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(colour);
    return s;
  }

  static void style(XYSeries s, Color colour, BasicStroke stroke) {
    s.setLineColor(colour);
    s.setLineStyle(stroke);
    s.setMarker(SeriesMarkers.NONE);
  }

  /** Paints panels one above the other into one image of {@code PANEL_WIDTH} width. */
  static BufferedImage stack(XYChart... panels) {
    BufferedImage img =
        new BufferedImage(PANEL_WIDTH, PANEL_HEIGHT * panels.length, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      for (XYChart p : panels) {
        p.paint(g, PANEL_WIDTH, PANEL_HEIGHT);
        g.translate(0, PANEL_HEIGHT);
      }
    } finally {
      g.dispose();
    }
    return img;
  }
}
