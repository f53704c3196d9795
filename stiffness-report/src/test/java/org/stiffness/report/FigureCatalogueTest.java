package org.stiffness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.ClassGroupsSummary;
import org.stiffness.summary.ExperimentSummary.GroupingSummary;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * The catalogue of a report's figures, listed without drawing them: every kind of figure of a
 * summary with class groups and another grouping, in report order, with the file names that scripts
 * and the reproduction's claims look for.
 */
class FigureCatalogueTest {

  private static ExperimentSummary summary() {
    ClassGroupsSummary groups =
        new ClassGroupsSummary(
            "halves",
            List.of("odd", "even"),
            List.of(1, 0),
            1,
            0.5,
            0.5,
            1,
            0.0,
            0.0,
            "g",
            "g",
            "g");
    GroupingSummary genre =
        new GroupingSummary(2, List.of("a", "b"), 0.5, 0.0, 0.5, 0.0, "m", "m", "m");
    PairingSummary valVal =
        new PairingSummary(
            0.5,
            0.0,
            0.5,
            0.0,
            null,
            null,
            List.of(),
            List.of(),
            "m",
            "m",
            "m",
            0,
            0,
            Map.of("genre", genre),
            groups);
    Checkpoint cp = new Checkpoint(5L, 1.0, 0.5, 0.9, 0.6, 0.8, Map.of("val-val", valVal));
    return new ExperimentSummary(
        null, List.of(new Run(0.01, List.of(cp), null), new Run(0.001, List.of(cp), null)));
  }

  @Test
  void everyFigureIsListedInReportOrderWithItsFileNameAndSection() {
    FigureData data = new FigureData(summary(), Path.of("."), null);
    List<String> listed =
        FigureCatalogue.entries(new Plots(summary(), Path.of("."), null), data, null).stream()
            .map(e -> e.section() + ": " + e.fileName())
            .toList();
    String training = ReportSection.TRAINING.title();
    String classes = ReportSection.CLASS.title();
    String groups = ReportSection.CLASS_GROUPS.title();
    String genre = ReportSection.grouping("genre");
    assertEquals(
        List.of(
            training + ": loss-lr0.01.png",
            training + ": loss-lr0.001.png",
            training + ": training-val-val-lr0.01.png",
            training + ": training-val-val-lr0.001.png",
            ReportSection.DISTANCE.title() + ": distance-val-val.png",
            ReportSection.CRITICAL_LENGTH.title() + ": xi-val-val.png",
            classes + ": class-sign-val-val-lr0.01.png",
            classes + ": class-cos-val-val-lr0.01.png",
            classes + ": class-sign-val-val-lr0.001.png",
            classes + ": class-cos-val-val-lr0.001.png",
            groups + ": class-groups-sign-val-val-lr0.01.png",
            groups + ": class-groups-cos-val-val-lr0.01.png",
            groups + ": class-groups-sign-val-val-lr0.001.png",
            groups + ": class-groups-cos-val-val-lr0.001.png",
            genre + ": genre-sign-val-val-lr0.01.png",
            genre + ": genre-cos-val-val-lr0.01.png",
            genre + ": genre-sign-val-val-lr0.001.png",
            genre + ": genre-cos-val-val-lr0.001.png"),
        listed);
  }

  @Test
  void aClassHeatmapsCaptionNamesItsStepAndTheClassGroups() {
    FigureData data = new FigureData(summary(), Path.of("."), null);
    FigureCatalogue.Entry heatmap =
        FigureCatalogue.entries(new Plots(summary(), Path.of("."), null), data, null).get(6);
    assertEquals(
        "Sign class stiffness, val-val, lr 0.01, step 5, by halves group (odd | even)",
        heatmap.caption());
  }
}
