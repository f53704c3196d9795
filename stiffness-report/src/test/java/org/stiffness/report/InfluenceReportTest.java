package org.stiffness.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.io.JsonSummary;

class InfluenceReportTest {
  @TempDir Path temp;

  private static final int N = 40;
  private static final int M = 10;
  private static final int K = 6;

  /** Example i drawn as a flat grey of level i; flipped: every fourth training example. */
  private static InfluenceResults results(boolean anyFlipped) {
    Random random = new Random(1);
    double[] self = new double[N];
    boolean[] flipped = new boolean[N];
    int[] trained = new int[N];
    int[] truth = new int[N];
    for (int i = 0; i < N; i++) {
      flipped[i] = anyFlipped && i % 4 == 0;
      self[i] = Math.exp(random.nextGaussian() + (flipped[i] ? 3 : 0));
      truth[i] = i % 3;
      trained[i] = flipped[i] ? (truth[i] + 1) % 3 : truth[i];
    }
    double[] curve = new double[N + 1];
    for (int k = 0; k <= N; k++) {
      curve[k] = Math.min(1, k / 10.0);
    }
    int[][] pro = new int[M][K];
    int[][] opp = new int[M][K];
    double[][] proScores = new double[M][K];
    double[][] oppScores = new double[M][K];
    for (int t = 0; t < M; t++) {
      for (int k = 0; k < K; k++) {
        pro[t][k] = 4 * k; // flipped ones
        opp[t][k] = 4 * k + 1; // clean ones
        proScores[t][k] = 1.0 / (k + 1);
        oppScores[t][k] = -1.0 / (k + 1);
      }
    }
    int[] testLabels = new int[M];
    return new InfluenceResults(
        self,
        flipped,
        curve,
        curve,
        anyFlipped ? 0.875 : Double.NaN,
        anyFlipped ? 0.625 : Double.NaN,
        pro,
        proScores,
        opp,
        oppScores,
        trained,
        truth,
        testLabels,
        List.of("zero <a>", "one", "two"),
        i -> grey(i * 5),
        j -> grey(200));
  }

  private static BufferedImage grey(int level) {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    for (int x = 0; x < 8; x++) {
      for (int y = 0; y < 8; y++) {
        img.getRaster().setSample(x, y, 0, level);
      }
    }
    return img;
  }

  @Test
  void writesThePicturesAndAReportThatShowsThem() throws IOException {
    ObjectNode settings = JsonSummary.mapper().createObjectNode().put("dataset", "digits");
    settings.putArray("checkpoints").addObject().put("step", 12).put("weight", 1.2);
    Path report = InfluenceReport.write(results(true), settings, temp);
    assertEquals(temp.resolve("report.html"), report);
    for (String png : List.of("self_influence.png", "detection.png", "proponents.png")) {
      BufferedImage img = ImageIO.read(temp.resolve("plots").resolve(png).toFile());
      assertTrue(img != null && img.getWidth() > 100, png);
    }
    String html = Files.readString(report);
    assertTrue(html.contains("src=\"plots/detection.png\""), html);
    assertTrue(html.contains("<td>0.875</td>") && html.contains("<td>0.625</td>"), html);
    assertTrue(html.contains("<td>12</td>"), "the checkpoint's step: " + html);
    assertTrue(!html.contains("<a>"), "unescaped text from the data");
  }

  @Test
  void flippedTrainingExamplesAreFramedInRedAndCleanOnesAreNot() {
    InfluenceResults r = results(true);
    BufferedImage grid = InfluenceGrid.draw(r, new int[] {0}, 5);
    Color red = new Color(214, 39, 40);
    // Column 1 is the first proponent (example 0, flipped), column 6 the first opponent (clean).
    int yMiddle = 28 + InfluenceGrid.CELL / 2;
    int proLeft = 8 + 18 + (8 + InfluenceGrid.CELL) - 2;
    int oppLeft = 8 + 18 + 18 + 6 * (8 + InfluenceGrid.CELL) - 2;
    assertEquals(red.getRGB(), grid.getRGB(proLeft + 1, yMiddle), "frame of a flipped example");
    assertNotEquals(red.getRGB(), grid.getRGB(oppLeft + 1, yMiddle), "no frame on a clean one");
  }

  @Test
  void theGridShowsTestImagesSpreadOverTheTestSet() {
    assertArrayEquals(
        new int[] {0, 62, 125, 187, 250, 312, 375, 437}, InfluenceGrid.shownTests(500, 8));
    assertArrayEquals(new int[] {0, 1, 2}, InfluenceGrid.shownTests(3, 8));
  }

  @Test
  void withoutFlippedLabelsTheDetectionChartSaysSoAndTheHistogramHasOnlyCleanExamples() {
    InfluenceResults r = results(false);
    assertEquals(
        List.of("no label flipped (--flip-labels 0)"),
        List.copyOf(
            InfluencePlots.detection(r).getSeriesCollection().stream()
                .map(s -> s.getName())
                .toList()));
    assertEquals(
        List.of("clean labels (40 examples)"),
        List.copyOf(
            InfluencePlots.histogram(r).getSeriesCollection().stream()
                .map(s -> s.getName())
                .toList()));
  }

  @Test
  void theDetectionLegendCarriesBothAucs() {
    assertEquals(
        List.of("by self-influence (AUC 0.875)", "by final loss (AUC 0.625)", "chance"),
        List.copyOf(
            InfluencePlots.detection(results(true)).getSeriesCollection().stream()
                .map(s -> s.getName())
                .toList()));
  }
}
