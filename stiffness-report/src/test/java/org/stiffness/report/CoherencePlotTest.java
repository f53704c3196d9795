package org.stiffness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.ClassCoherence;
import org.stiffness.summary.ExperimentSummary.CoherenceSummary;
import org.stiffness.summary.ExperimentSummary.PairValue;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/** The coherence figure: what it plots of a summary, where the catalogue puts it, and drawing. */
class CoherencePlotTest {
  private static PairValue pair(double v) {
    return new PairValue(v, List.of(0, 1), List.of(10L, 11L));
  }

  private static CoherenceSummary coherence(Double ratio, Double[] classRatios, Double[] classMin) {
    List<ClassCoherence> classes = new ArrayList<>();
    for (int c = 0; c < classRatios.length; c++) {
      classes.add(
          new ClassCoherence(
              5,
              classRatios[c] == null ? null : classRatios[c] / 5,
              classRatios[c],
              classMin[c] == null ? null : pair(classMin[c]),
              null));
    }
    return new CoherenceSummary(
        50, ratio == null ? null : ratio / 50, ratio, pair(-0.9), pair(-3.0), classes);
  }

  private static PairingSummary pairing(CoherenceSummary c) {
    return new PairingSummary(
        0.5, 0.0, 0.5, 0.0, null, null, List.of(), List.of(), "m", "m", "m", 0, 0, null, null, c);
  }

  private static ExperimentSummary summary(CoherenceSummary first, CoherenceSummary second) {
    Checkpoint a = new Checkpoint(0L, 0.0, 2.3, 0.1, 2.3, 0.1, Map.of("val-val", pairing(first)));
    Checkpoint b = new Checkpoint(50L, 1.0, 0.5, 0.9, 0.6, 0.8, Map.of("val-val", pairing(second)));
    return new ExperimentSummary(null, List.of(new Run(0.01, List.of(a, b), null)));
  }

  @Test
  void theWithinClassCurvesAreTheMeanRatioAndTheLowestMinimumOfTheClassesThatHaveThem() {
    CoherenceSummary c =
        coherence(1.5, new Double[] {2.0, null, 4.0}, new Double[] {-0.2, null, -0.7});
    assertEquals(3.0, CoherencePlot.meanClassRatio(c), 0.0);
    assertEquals(-0.7, CoherencePlot.lowestWithinClass(c), 0.0);
    CoherenceSummary none = coherence(null, new Double[] {null, null}, new Double[] {null, null});
    assertNull(CoherencePlot.meanClassRatio(none));
    assertNull(CoherencePlot.lowestWithinClass(none));
  }

  @Test
  void theCatalogueListsItAfterTheStiffnessOverTrainingOfASetWithItselfOnly(@TempDir Path dir)
      throws IOException {
    CoherenceSummary c = coherence(1.5, new Double[] {2.0}, new Double[] {-0.2});
    ExperimentSummary withCoherence = summary(c, c);
    List<String> names =
        FigureCatalogue.entries(
                new Plots(withCoherence, dir, null), new FigureData(withCoherence, dir, null), null)
            .stream()
            .map(FigureCatalogue.Entry::fileName)
            .toList();
    int training = names.indexOf("training-val-val-lr0.01.png");
    assertEquals("coherence-val-val-lr0.01.png", names.get(training + 1), names.toString());

    ExperimentSummary without = summary(null, null);
    assertTrue(
        FigureCatalogue.entries(
                new Plots(without, dir, null), new FigureData(without, dir, null), null)
            .stream()
            .noneMatch(e -> e.fileName().startsWith("coherence-")),
        "no coherence figure for a pairing without coherence figures");
  }

  @Test
  void itIsDrawnAlsoWhenACheckpointHasNoFigures(@TempDir Path dir) throws IOException {
    CoherenceSummary c = coherence(1.5, new Double[] {2.0, 3.0}, new Double[] {-0.2, -0.4});
    CoherenceSummary none = coherence(null, new Double[] {null, null}, new Double[] {null, null});
    for (ExperimentSummary s : List.of(summary(c, c), summary(none, none), summary(none, c))) {
      Path out = dir.resolve("c.png");
      Files.deleteIfExists(out);
      CoherencePlot.draw(new FigureData(s, dir, null), 0, "val-val", out);
      assertTrue(Files.size(out) > 1000, "a PNG was written");
    }
  }
}
