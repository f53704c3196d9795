package org.stiffness.cli.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.stiffness.report.Figure;
import org.stiffness.report.HtmlReport;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * What an experiment left for the judges: its summary, its class matrices and the figures its
 * report drew.
 *
 * @param experiment the experiment's name, also its directory
 * @param summary its {@code summary.json}
 * @param matrices reads the class matrices the summary names
 * @param figures the figures {@link org.stiffness.report.Plots#writeAll} drew for its report, their
 *     files relative to the experiment directory; a row links those it was judged on
 */
public record Evidence(
    String experiment, ExperimentSummary summary, ClassMatrices matrices, List<Figure> figures) {

  /** Keeps an unmodifiable copy of the figures. */
  public Evidence {
    figures = List.copyOf(figures);
  }

  /** The runs, one per learning rate, in the summary's order. */
  List<Run> runs() {
    return summary.runs();
  }

  /** The judged pairing ({@value Claims#PAIRING}) at a checkpoint. */
  static PairingSummary at(Checkpoint cp) {
    return cp.pairings().get(Claims.PAIRING);
  }

  /** The cosine class matrix of the judged pairing at a checkpoint. */
  double[][] classCos(Checkpoint cp) throws IOException {
    return matrices.read(at(cp).classCosMatrix());
  }

  /** A row of this experiment; the experiment's report is linked after the plots. */
  ClaimResult result(Claim claim, Verdict verdict, String figure, List<String> plots) {
    List<String> withReport = new ArrayList<>(plots);
    withReport.add(HtmlReport.FILE_NAME);
    return new ClaimResult(claim, experiment, verdict, figure, withReport);
  }

  /**
   * The files of the figures of {@code kind} on the judged pairing (every figure of a kind drawn
   * once per run, the loss), heatmaps in cosine stiffness only, in the order they were drawn: one
   * per run in the summary's order where the kind is drawn per run.
   */
  List<String> plots(Figure.Kind kind) {
    return figures.stream()
        .filter(f -> f.kind() == kind)
        .filter(f -> f.pairing() == null || f.pairing().equals(Claims.PAIRING))
        .filter(f -> f.measure() == null || f.measure() == StiffnessMeasure.COSINE)
        .map(f -> relative(f.file()))
        .toList();
  }

  /** The plots of several kinds, one kind after the other. */
  List<String> plots(Figure.Kind first, Figure.Kind second) {
    List<String> both = new ArrayList<>(plots(first));
    both.addAll(plots(second));
    return both;
  }

  /** A relative path with {@code /} between its names, as the report links it. */
  private static String relative(Path file) {
    return StreamSupport.stream(file.spliterator(), false)
        .map(Path::toString)
        .collect(Collectors.joining("/"));
  }
}
