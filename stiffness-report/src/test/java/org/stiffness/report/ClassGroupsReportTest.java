package org.stiffness.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.io.NpyWriter;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.ClassGroupsSummary;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * The synthetic experiment with class groups in every pairing: classes 1 and 3 in group "odd", 0
 * and 2 in group "even <x>"; its group sign matrix is +1 at (odd, odd), -1 at (odd, even) and empty
 * at (even, even).
 */
class ClassGroupsReportTest {
  @TempDir Path dir;

  private static final List<Integer> GROUP_OF_CLASS = List.of(1, 0, 1, 0);

  private ExperimentSummary withGroups() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    NpyWriter.write(dir.resolve("groups-sign.npy"), new double[] {1, -1, 0.5, Double.NaN}, 2, 2);
    NpyWriter.write(dir.resolve("groups-cos.npy"), new double[] {1, -1, 0.5, Double.NaN}, 2, 2);
    NpyWriter.write(dir.resolve("groups-pairs.npy"), new long[] {40, 80, 80, 0}, 2, 2);
    ClassGroupsSummary groups =
        new ClassGroupsSummary(
            "halves",
            List.of("odd", "even <x>"),
            GROUP_OF_CLASS,
            40,
            0.25,
            0.125,
            160,
            -0.5,
            -0.075,
            "groups-sign.npy",
            "groups-cos.npy",
            "groups-pairs.npy");
    List<Run> runs = new ArrayList<>();
    for (Run run : s.runs()) {
      List<Checkpoint> cps = new ArrayList<>();
      for (Checkpoint cp : run.checkpoints()) {
        Map<String, PairingSummary> pairings = new LinkedHashMap<>();
        cp.pairings().forEach((k, p) -> pairings.put(k, withGroups(p, groups)));
        cps.add(
            new Checkpoint(
                cp.step(),
                cp.epoch(),
                cp.trainLoss(),
                cp.trainAcc(),
                cp.valLoss(),
                cp.valAcc(),
                pairings));
      }
      runs.add(new Run(run.lr(), cps));
    }
    ObjectNode config = s.config().deepCopy();
    config.putArray("class_names").add("cat").add("dog").add("T-shirt/top").add("a<b>&c");
    return new ExperimentSummary(config, runs);
  }

  private static PairingSummary withGroups(PairingSummary p, ClassGroupsSummary g) {
    return new PairingSummary(
        p.withinSign(),
        p.betweenSign(),
        p.withinCos(),
        p.betweenCos(),
        p.criticalLength(),
        p.criticalLengthAllPairs(),
        p.distanceProfile(),
        p.withinClassDistanceProfile(),
        p.classSignMatrix(),
        p.classCosMatrix(),
        p.pairCountMatrix(),
        p.uncertainSignPairs(),
        p.zeroGradientExamples(),
        p.groupings(),
        g);
  }

  private static Color at(BufferedImage img, int[] xy) {
    return new Color(img.getRGB(xy[0], xy[1]));
  }

  private static boolean red(Color c) {
    return c.getRed() > c.getBlue() + 100;
  }

  private static boolean blue(Color c) {
    return c.getBlue() > c.getRed() + 100;
  }

  @Test
  void classHeatmapIsOrderedByTheSummarysGroupsWithoutAnOrderGiven() throws IOException {
    Plots plots = new Plots(withGroups(), dir, null);
    Path png =
        plots.classHeatmap(0, -1, "train-val", StiffnessMeasure.SIGN, null, dir.resolve("h.png"));
    BufferedImage img = ImageIO.read(png.toFile());
    // Display order: odd classes 1, 3, then even 0, 2. Class 0's +1 cell (0, 0) is shown at
    // (2, 2), its -1 cell (0, 1) at (2, 0).
    ClassHeatmap layout = new ClassHeatmap(List.of("cat", "dog", "T-shirt/top", "a<b>&c"));
    assertTrue(red(at(img, layout.cellCentre(2, 2))), "class 0 with itself");
    assertTrue(blue(at(img, layout.cellCentre(2, 0))), "class 0 with class 1");
    int[] c00 = layout.cellCentre(0, 0);
    Color line = new Color(img.getRGB(layout.left + 2 * layout.cell, c00[1]));
    assertTrue(line.getRed() < 60 && line.getBlue() < 60, "boundary after the odd classes " + line);
  }

  @Test
  void groupMatrixHeatmapShowsEachGroupCell() throws IOException {
    Plots plots = new Plots(withGroups(), dir, null);
    Path png =
        plots.classGroupsHeatmap(0, -1, "val-val", StiffnessMeasure.SIGN, dir.resolve("g.png"));
    BufferedImage img = ImageIO.read(png.toFile());
    ClassHeatmap layout = new ClassHeatmap(List.of("odd", "even <x>"));
    assertTrue(red(at(img, layout.cellCentre(0, 0))));
    assertTrue(blue(at(img, layout.cellCentre(0, 1))));
    Color empty = at(img, layout.cellCentre(1, 1));
    assertTrue(empty.equals(ClassHeatmap.EMPTY), "no pairs: grey, was " + empty);
  }

  @Test
  void reportNamesTheGroupsWithTheirClassesAndTabulatesEveryPairing() throws IOException {
    ExperimentSummary s = withGroups();
    String html = HtmlReport.html(s, dir, List.of());
    assertTrue(
        html.contains(
            "Classes grouped by <b>halves</b>: odd (dog, a&lt;b&gt;&amp;c); even &lt;x&gt; (cat,"
                + " T-shirt/top).</p>"),
        html);
    for (String p : List.of("train-train", "train-val", "val-val")) {
      assertTrue(
          html.contains(
              "<tr><td class=\"l\">"
                  + p
                  + "</td><td>0.250</td><td>-0.500</td><td>0.125</td><td>-0.075</td>"
                  + "<td>40 / 160</td></tr>"),
          p + "\n" + html);
    }
  }
}
