package org.stiffness.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.cli.reproduce.ReproductionReport.Experiment;
import org.stiffness.io.JsonSummary;

/** reproduction.html on a hand-built table: verdict count, settings, thumbnails, wording. */
class ReproductionReportTest {
  @TempDir Path dir;

  private static ClaimResult row(Claim claim, String experiment, Verdict verdict, String... plots) {
    return new ClaimResult(claim, experiment, verdict, "figure of " + experiment, List.of(plots));
  }

  private static final List<Experiment> EXPERIMENTS =
      List.of(
          new Experiment("digits-fc", "fc on digits", "ran", null, "stiffness vision ...", 12),
          new Experiment("digits-overfit", "fc on 300", "ran", null, "stiffness vision ...", 30),
          new Experiment("mnist-fc", "fc on MNIST", "not run", "no --data-dir", "", 0),
          new Experiment("cifar10-cnn", "cnn", "failed", "the run failed", "stiffness ...", 3));

  /** Two experiments ran with 5 rows: 2 hold, 1 does not, 1 no crossing, 1 not measurable. */
  private static final List<ClaimResult> ROWS =
      List.of(
          row(Claim.WITHIN_OVER_BETWEEN, "digits-fc", Verdict.HOLDS, "plots/training-a.png"),
          row(Claim.DISTANCE_DECAY_WITHIN, "digits-fc", Verdict.HOLDS),
          row(Claim.XI_TRAINING_WITHIN, "digits-fc", Verdict.NO_CROSSING),
          row(Claim.XI_LR_ALL_PAIRS, "digits-fc", Verdict.DOES_NOT_HOLD),
          row(Claim.GENERALISATION, "digits-overfit", Verdict.NOT_MEASURABLE),
          row(Claim.WITHIN_OVER_BETWEEN, "mnist-fc", Verdict.NOT_RUN),
          row(Claim.DISTANCE_DECAY_WITHIN, "mnist-fc", Verdict.NOT_RUN),
          row(Claim.WITHIN_OVER_BETWEEN, "cifar10-cnn", Verdict.NOT_RUN));

  private ObjectNode settings(double scale) {
    return JsonSummary.mapper()
        .createObjectNode()
        .put("dataset", "fashion-mnist")
        .put("scale", scale)
        .put("seed", 7)
        .put("device", "cpu");
  }

  private String write(ObjectNode settings) throws IOException {
    for (String exp : List.of("digits-fc", "digits-overfit")) {
      Files.createDirectories(dir.resolve(exp).resolve("plots"));
      JsonSummary.write(
          dir.resolve(exp).resolve("summary.json"),
          JsonSummary.mapper()
              .createObjectNode()
              .set("config", JsonSummary.mapper().createObjectNode().put("dataset", "digits")));
    }
    Files.write(dir.resolve("digits-fc/plots/training-a.png"), new byte[] {1});
    ReproductionReport.write(dir, settings, EXPERIMENTS, ROWS);
    return Files.readString(dir.resolve(ReproductionReport.HTML), StandardCharsets.UTF_8);
  }

  @Test
  void theVerdictCountAtTheTopCountsTheRowsOfExperimentsThatRan() throws IOException {
    assertEquals(
        "5 verdicts on 2 experiments: holds 2, does not hold 1, no crossing 1, not measurable 1."
            + " Not run or failed: mnist-fc, cifar10-cnn (2 experiments, see below).",
        ReproductionReport.verdictCount(EXPERIMENTS, ROWS));
    String html = write(settings(1));
    int count = html.indexOf("<p class=\"verdicts\">5 verdicts on 2 experiments");
    assertTrue(count > 0 && count < html.indexOf("<table"), "the count comes before any table");
  }

  @Test
  void theSettingsAreShownAndASmallScaleIsFlagged() throws IOException {
    String html = write(settings(0.05));
    assertTrue(html.contains("<tr><th>scale</th><td>0.05</td></tr>"), html);
    assertTrue(html.contains("<tr><th>seed</th><td>7</td></tr>"), html);
    assertTrue(html.contains("<tr><th>datasets</th><td>digits</td></tr>"), html);
    assertTrue(html.contains("<tr><th>commit</th><td>not recorded</td></tr>"), html);
    assertTrue(html.contains("Scale 0.05 is below 1:</b>"), html);
    String full = write(settings(1).put("commit", "abc1234"));
    assertTrue(full.contains("<tr><th>commit</th><td>abc1234</td></tr>"), full);
    assertFalse(full.contains("is below 1"), full);
  }

  @Test
  void aRowWithAPlotShowsItAsAThumbnailLinkingToTheFullImage() throws IOException {
    String html = write(settings(1));
    String plot = "digits-fc/plots/training-a.png";
    assertTrue(
        html.contains("<a href=\"" + plot + "\"><img src=\"" + plot + "\""), "thumbnail " + html);
    assertEquals(1, html.split("<img ", -1).length - 1, "one thumbnail: one row has a plot");
  }

  @Test
  void theOverfittingClaimSaysOnlyWithinClassIsTested() throws IOException {
    String html = write(settings(1));
    assertTrue(html.contains("Within-class stiffness falls when the model overfits"), html);
    assertTrue(Claim.GENERALISATION.statement().contains("between-class is measured, not tested"));
  }
}
