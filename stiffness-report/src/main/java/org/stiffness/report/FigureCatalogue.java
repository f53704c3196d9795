package org.stiffness.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.ClassGroupsSummary;
import org.stiffness.summary.ExperimentSummary.GroupingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * Which figures a report has, in report order within each section, with their file names, sections
 * and captions: loss and accuracy once per run; for each pairing present, stiffness over training
 * per run (and, for a set with itself, its gradient coherence and confusion per run), stiffness vs
 * distance at the last checkpoint and xi over training; then for each pairing the sign and cosine
 * heatmaps at the last checkpoint of each run, of the classes, of the class groups and of other
 * groupings when the summary has them.
 */
final class FigureCatalogue {
  /** Draws one figure into the given PNG file and returns the file. */
  @FunctionalInterface
  interface Drawing {
    Path draw(Path out) throws IOException;
  }

  /**
   * One figure of the report.
   *
   * @param fileName the PNG's name in the plot directory
   * @param section the report section ({@link ReportSection})
   * @param caption one line saying what it shows
   * @param drawing draws it
   * @param kind what it draws ({@link Figure#kind()})
   * @param pairing the pairing it draws, or null ({@link Figure#pairing()})
   * @param measure the measure a heatmap colours, or null ({@link Figure#measure()})
   */
  record Entry(
      String fileName,
      String section,
      String caption,
      Drawing drawing,
      Figure.Kind kind,
      String pairing,
      StiffnessMeasure measure) {}

  private final Plots plots;
  private final FigureData data;
  private final ClassOrder order;
  private final List<Entry> entries = new ArrayList<>();

  private FigureCatalogue(Plots plots, FigureData data, ClassOrder order) {
    this.plots = plots;
    this.data = data;
    this.order = order;
  }

  /**
   * The figures of {@code data}, drawn by {@code plots}.
   *
   * @param order class display order for the heatmaps, or null (see {@link Plots#classHeatmap})
   */
  static List<Entry> entries(Plots plots, FigureData data, ClassOrder order) {
    FigureCatalogue c = new FigureCatalogue(plots, data, order);
    c.training();
    for (String p : data.pairingsPresent()) {
      c.heatmaps(p);
    }
    return List.copyOf(c.entries);
  }

  /** "Sign" or "Cosine", as titles and captions start. */
  static String title(StiffnessMeasure m) {
    return m == StiffnessMeasure.SIGN ? "Sign" : "Cosine";
  }

  /** "sign" or "cos", as file names spell the measure. */
  private static String tag(StiffnessMeasure m) {
    return m == StiffnessMeasure.SIGN ? "sign" : "cos";
  }

  private void add(
      Figure.Kind kind,
      String pairing,
      StiffnessMeasure measure,
      String fileName,
      String section,
      String caption,
      Drawing drawing) {
    entries.add(new Entry(fileName, section, caption, drawing, kind, pairing, measure));
  }

  private void training() {
    String training = ReportSection.TRAINING.title();
    List<Run> runs = data.runs();
    for (int i = 0; i < runs.size(); i++) {
      int run = i;
      String lr = FigureData.lr(runs.get(i).lr());
      add(
          Figure.Kind.LOSS,
          null,
          null,
          "loss-lr" + lr + ".png",
          training,
          "Loss (solid) and accuracy (dashed), train and validation, lr " + lr,
          out -> plots.lossAndAccuracy(run, out));
    }
    for (String p : data.pairingsPresent()) {
      for (int i = 0; i < runs.size(); i++) {
        int run = i;
        String lr = FigureData.lr(runs.get(i).lr());
        add(
            Figure.Kind.TRAINING,
            p,
            null,
            "training-" + p + "-lr" + lr + ".png",
            training,
            "Within- and between-class stiffness over training, "
                + p
                + ", lr "
                + lr
                + " (sign solid, cosine dashed)",
            out -> plots.stiffnessOverTraining(run, p, out));
      }
      if (CoherencePlot.present(data, p)) {
        for (int i = 0; i < runs.size(); i++) {
          int run = i;
          String lr = FigureData.lr(runs.get(i).lr());
          add(
              Figure.Kind.COHERENCE,
              p,
              null,
              "coherence-" + p + "-lr" + lr + ".png",
              training,
              "Gradient coherence alpha / alpha_perp (top) and gradient confusion, the most"
                  + " negative cosine of two examples (bottom), over training, "
                  + p
                  + ", lr "
                  + lr
                  + " (all examples solid, within class dashed)",
              out -> CoherencePlot.draw(data, run, p, out));
        }
      }
      add(
          Figure.Kind.DISTANCE,
          p,
          null,
          "distance-" + p + ".png",
          ReportSection.DISTANCE.title(),
          "Stiffness vs cosine distance of inputs, "
              + p
              + ", last checkpoint; bands: one standard error; bins with fewer than "
              + DistancePlot.MIN_BIN_PAIRS
              + " pairs left out (bottom: pairs per bin)",
          out -> plots.stiffnessVsDistance(p, -1, out));
      add(
          Figure.Kind.CRITICAL_LENGTH,
          p,
          null,
          "xi-" + p + ".png",
          ReportSection.CRITICAL_LENGTH.title(),
          "Critical length xi over training, " + p + ", with its bootstrap interval",
          out -> plots.criticalLengthOverTraining(p, out));
    }
  }

  /**
   * The heatmaps of one pairing at each run's last checkpoint: classes, class groups, groupings.
   */
  private void heatmaps(String p) {
    List<Run> runs = data.runs();
    for (int i = 0; i < runs.size(); i++) {
      int run = i;
      String lr = FigureData.lr(runs.get(i).lr());
      Checkpoint last = FigureData.checkpoint(runs.get(i), -1);
      for (StiffnessMeasure m : StiffnessMeasure.values()) {
        ClassGroupsSummary groups = FigureData.pairing(last, p).classGroups();
        add(
            Figure.Kind.CLASS,
            p,
            m,
            "class-" + tag(m) + "-" + p + "-lr" + lr + ".png",
            ReportSection.CLASS.title(),
            title(m)
                + " class stiffness, "
                + p
                + ", lr "
                + lr
                + ", step "
                + last.step()
                + (groups == null
                    ? ""
                    : ", by "
                        + groups.name()
                        + " group ("
                        + String.join(" | ", groups.groupNames())
                        + ")"),
            out -> plots.classHeatmap(run, -1, p, m, order, out));
      }
    }
    for (int i = 0; i < runs.size(); i++) {
      int run = i;
      String lr = FigureData.lr(runs.get(i).lr());
      Checkpoint last = FigureData.checkpoint(runs.get(i), -1);
      ClassGroupsSummary groups = FigureData.pairing(last, p).classGroups();
      if (groups == null) {
        continue;
      }
      for (StiffnessMeasure m : StiffnessMeasure.values()) {
        add(
            Figure.Kind.CLASS_GROUPS,
            p,
            m,
            "class-groups-" + tag(m) + "-" + p + "-lr" + lr + ".png",
            ReportSection.CLASS_GROUPS.title(),
            title(m)
                + " stiffness between different classes by "
                + groups.name()
                + " group, "
                + p
                + ", lr "
                + lr
                + ", step "
                + last.step(),
            out -> plots.classGroupsHeatmap(run, -1, p, m, out));
      }
    }
    for (int i = 0; i < runs.size(); i++) {
      int run = i;
      String lr = FigureData.lr(runs.get(i).lr());
      Checkpoint last = FigureData.checkpoint(runs.get(i), -1);
      Map<String, GroupingSummary> groupings = FigureData.pairing(last, p).groupings();
      for (String grouping : groupings == null ? List.<String>of() : groupings.keySet()) {
        for (StiffnessMeasure m : StiffnessMeasure.values()) {
          add(
              Figure.Kind.GROUPING,
              p,
              m,
              grouping + "-" + tag(m) + "-" + p + "-lr" + lr + ".png",
              ReportSection.grouping(grouping),
              title(m)
                  + " "
                  + grouping
                  + " stiffness, "
                  + p
                  + ", lr "
                  + lr
                  + ", step "
                  + last.step(),
              out -> plots.groupingHeatmap(run, -1, p, grouping, m, out));
        }
      }
    }
  }
}
