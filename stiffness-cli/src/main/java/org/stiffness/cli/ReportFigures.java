package org.stiffness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.stiffness.report.ClassOrder;
import org.stiffness.report.Figure;
import org.stiffness.report.HtmlReport;
import org.stiffness.report.Plots;
import org.stiffness.summary.ExperimentSummary;

/**
 * An experiment's plots and {@code report.html}, as {@link HtmlReport#generate} writes them,
 * keeping the figures {@link Plots#writeAll} returns: {@code reproduce} links the ones each claim
 * was judged on.
 */
final class ReportFigures {
  /** The report's file name in the experiment directory. */
  static final String REPORT = HtmlReport.FILE_NAME;

  private ReportFigures() {}

  /**
   * Draws every plot into {@code dir/plots} and writes {@code dir/report.html}.
   *
   * @param classNames class names by index, or null (see {@link Plots#Plots})
   * @param order heatmap class order and group boundaries, or null for index order
   * @return the figures, their files relative to {@code dir}
   */
  static List<Figure> write(
      ExperimentSummary summary, Path dir, List<String> classNames, ClassOrder order)
      throws IOException {
    List<Figure> figures =
        new Plots(summary, dir, classNames).writeAll(dir.resolve(HtmlReport.PLOT_DIR), order);
    HtmlReport.write(summary, dir, figures);
    return figures.stream()
        .map(
            f ->
                new Figure(
                    dir.relativize(f.file()),
                    f.section(),
                    f.caption(),
                    f.kind(),
                    f.pairing(),
                    f.measure()))
        .toList();
  }
}
