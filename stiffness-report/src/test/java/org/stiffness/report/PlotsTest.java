package org.stiffness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.io.JsonSummary;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.Pairing;

class PlotsTest {
  @TempDir Path dir;

  private static BufferedImage decode(Path png) throws IOException {
    BufferedImage img = ImageIO.read(png.toFile());
    assertTrue(img != null, png + " does not decode as an image");
    return img;
  }

  private static double lumaVariance(BufferedImage img) {
    double sum = 0;
    double sq = 0;
    long n = (long) img.getWidth() * img.getHeight();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        Color c = new Color(img.getRGB(x, y));
        double l = 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
        sum += l;
        sq += l * l;
      }
    }
    double mean = sum / n;
    return sq / n - mean * mean;
  }

  private static Color at(BufferedImage img, int[] xy) {
    return new Color(img.getRGB(xy[0], xy[1]));
  }

  @Test
  void heatmapDrawsPlusOneRedAndMinusOneBlue() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    Plots plots = new Plots(s, dir, SyntheticExperiment.CLASS_NAMES);
    Path png =
        plots.classHeatmap(
            0, -1, Pairing.TRAIN_VAL.key(), StiffnessMeasure.SIGN, null, dir.resolve("h.png"));
    BufferedImage img = decode(png);
    ClassHeatmap layout = new ClassHeatmap(SyntheticExperiment.CLASS_NAMES);
    assertEquals(layout.width, img.getWidth());
    assertEquals(layout.height, img.getHeight());
    Color plus = at(img, layout.cellCentre(0, 0));
    Color minus = at(img, layout.cellCentre(0, 1));
    // Independent of the exact palette: +1 is a saturated red, -1 a saturated blue.
    assertTrue(plus.getRed() > plus.getBlue() + 100, "+1 cell is " + plus);
    assertTrue(minus.getBlue() > minus.getRed() + 100, "-1 cell is " + minus);
  }

  @Test
  void heatmapFollowsTheClassOrderAndDrawsGroupBoundaries() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    Plots plots = new Plots(s, dir, SyntheticExperiment.CLASS_NAMES);
    // Class 0 shown last: its (0, 0) = +1 cell moves to display (3, 3), (0, 1) to (3, 2).
    ClassOrder order = new ClassOrder(new int[] {3, 2, 1, 0}, new int[] {2, 2});
    Path png =
        plots.classHeatmap(
            0, 0, Pairing.TRAIN_TRAIN.key(), StiffnessMeasure.COSINE, order, dir.resolve("o.png"));
    BufferedImage img = decode(png);
    ClassHeatmap layout = new ClassHeatmap(List.of("a<b>&c", "T-shirt/top", "dog", "cat"));
    Color plus = at(img, layout.cellCentre(3, 3));
    Color minus = at(img, layout.cellCentre(3, 2));
    assertTrue(plus.getRed() > plus.getBlue() + 100, "+1 cell is " + plus);
    assertTrue(minus.getBlue() > minus.getRed() + 100, "-1 cell is " + minus);
    // The boundary between groups runs along x = left + 2 cells, through the middle of row 0.
    int[] c00 = layout.cellCentre(0, 0);
    Color line = new Color(img.getRGB(layout.left + 2 * layout.cell, c00[1]));
    assertTrue(
        line.getRed() < 60 && line.getGreen() < 60 && line.getBlue() < 60, "boundary " + line);
  }

  @Test
  void classOrderByGroupSortsStablyByGroup() {
    ClassOrder o = ClassOrder.byGroup(new int[] {1, 0, 1, 0, 2});
    assertEquals(
        List.of(1, 3, 0, 2, 4), Stream.of(o.order()).flatMapToInt(Arrays::stream).boxed().toList());
    assertEquals(
        List.of(2, 2, 1), Stream.of(o.groupSizes()).flatMapToInt(Arrays::stream).boxed().toList());
  }

  @Test
  void classOrderRejectsANonPermutationAndBadGroupSizes() {
    assertThrows(
        IllegalArgumentException.class, () -> new ClassOrder(new int[] {0, 0, 1}, new int[] {3}));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ClassOrder(new int[] {0, 1, 2}, new int[] {2, 2}));
  }

  @Test
  void heatmapRejectsAnOrderOfTheWrongSize() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    Plots plots = new Plots(s, dir, null);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            plots.classHeatmap(
                0,
                0,
                Pairing.VAL_VAL.key(),
                StiffnessMeasure.SIGN,
                ClassOrder.identity(3),
                dir.resolve("x.png")));
    assertFalse(Files.exists(dir.resolve("x.png")));
  }

  @Test
  void everyPlotDecodesToItsSizeAndIsNotBlank() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    List<Figure> figures =
        new Plots(s, dir, SyntheticExperiment.CLASS_NAMES).writeAll(dir.resolve("plots"), null);
    // 3 pairings x (2 runs x 2 heatmaps + 2 training + distance + xi), and loss once per run.
    assertEquals(3 * (4 + 2 + 1 + 1) + 2, figures.size());
    ClassHeatmap layout = new ClassHeatmap(SyntheticExperiment.CLASS_NAMES);
    for (Figure f : figures) {
      assertTrue(Files.isRegularFile(f.file()), f.file() + " missing");
      BufferedImage img = decode(f.file());
      String name = f.file().getFileName().toString();
      if (name.startsWith("class-")) {
        assertEquals(layout.width, img.getWidth(), name);
        assertEquals(layout.height, img.getHeight(), name);
      } else {
        // Stiffness vs distance: sign, cosine and the bins' pair counts; the others one panel.
        int panels = name.startsWith("distance-") ? 3 : 1;
        assertEquals(ChartStyle.PANEL_WIDTH, img.getWidth(), name);
        assertEquals(ChartStyle.PANEL_HEIGHT * panels, img.getHeight(), name);
      }
      assertTrue(lumaVariance(img) > 0, name + " is blank");
    }
  }

  @Test
  void checkpointsWithoutCrossingAreCounted() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    assertEquals(0, FigureData.checkpointsWithoutCrossing(s.runs().get(0), Pairing.VAL_VAL.key()));
    assertEquals(1, FigureData.checkpointsWithoutCrossing(s.runs().get(1), Pairing.VAL_VAL.key()));
    Path png =
        new Plots(s, dir, null)
            .criticalLengthOverTraining(Pairing.VAL_VAL.key(), dir.resolve("xi.png"));
    assertTrue(lumaVariance(decode(png)) > 0);
  }

  @Test
  void xiDefinitionNamesTheMeasureAndTheWindowOfTheFit() throws IOException {
    var config = JsonSummary.mapper().createObjectNode();
    assertNull(SummaryConfig.xiDefinition(null), "no configuration");
    assertNull(
        SummaryConfig.xiDefinition(config), "a configuration that does not record xi's settings");
    config.putObject("critical_length").put("measure", "cosine").put("window_lo", 0.0);
    assertNull(SummaryConfig.xiDefinition(config), "a window without its upper end");
    ((ObjectNode) config.get("critical_length")).put("window_hi", 2.0);
    assertEquals("cosine, d in [0, 2]", SummaryConfig.xiDefinition(config));
    ExperimentSummary s = SyntheticExperiment.write(dir);
    assertEquals("sign, d in [0, 0.5]", SummaryConfig.xiDefinition(s.config()));
  }

  @Test
  void noTemporaryFileIsLeftBehind() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    new Plots(s, dir, SyntheticExperiment.CLASS_NAMES).writeAll(dir.resolve("plots"), null);
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> tmp = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
      assertFalse(!tmp.isEmpty(), "temporary files left: " + tmp);
    }
  }

  /** Grey means "no pairs", and the heatmap says so next to its colour bar, however few classes. */
  @Test
  void heatmapHasAKeyForItsGreyCells() throws IOException {
    ClassHeatmap layout = new ClassHeatmap(List.of("a", "b", "c"));
    double nan = Double.NaN;
    double[] m = {1, nan, 0, nan, 1, 0, 0, 0, -1};
    BufferedImage img =
        layout.render(m, List.of("a", "b", "c"), new int[] {0, 1, 2}, new int[] {3}, "t", "x", "y");
    assertEquals(layout.height, img.getHeight());
    Color empty = at(img, layout.cellCentre(0, 1));
    assertEquals(ClassHeatmap.EMPTY, empty, "a cell without pairs is grey");
    Color key = new Color(img.getRGB(layout.emptyKeyLeft() + 5, layout.emptyKeyTop() + 5));
    assertEquals(ClassHeatmap.EMPTY, key, "the grey key is drawn below the colour bar");
  }
}
