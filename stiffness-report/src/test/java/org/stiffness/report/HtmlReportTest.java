package org.stiffness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.io.JsonSummary;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;
import org.stiffness.summary.Pairing;

class HtmlReportTest {
  @TempDir Path dir;

  private String generate() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    Path report = HtmlReport.generate(s, dir, SyntheticExperiment.CLASS_NAMES, null);
    assertEquals(dir.resolve("report.html").toAbsolutePath(), report);
    return Files.readString(report, StandardCharsets.UTF_8);
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  @Test
  void reportLinksEveryPngRelatively() throws IOException {
    String html = generate();
    List<Path> pngs;
    try (Stream<Path> files = Files.walk(dir)) {
      pngs = files.filter(p -> p.toString().endsWith(".png")).toList();
    }
    // 24 per-pairing plots and one loss-and-accuracy panel per run.
    assertEquals(26, pngs.size());
    for (Path png : pngs) {
      String rel = dir.relativize(png).toString().replace('\\', '/');
      assertTrue(html.contains("src=\"" + rel + "\""), "report does not show " + rel);
    }
    assertFalse(html.contains(dir.toAbsolutePath().toString()), "absolute paths in the report");
  }

  @Test
  void reportShowsTheKeyFiguresOfEachRun() throws IOException {
    String html = generate();
    // The xi column names the measure and window the summary's configuration records.
    assertTrue(html.contains("<th>xi (sign, d in [0, 0.5]), within-class"), "xi definition");
    int last = SyntheticExperiment.STEPS.length - 1;
    for (int r = 0; r < SyntheticExperiment.LRS.length; r++) {
      assertTrue(html.contains(f3(SyntheticExperiment.trainAcc(r, last))), "train acc run " + r);
      assertTrue(html.contains(f3(SyntheticExperiment.valAcc(r, last))), "val acc run " + r);
      for (Pairing p : Pairing.values()) {
        double ws = SyntheticExperiment.withinSign(r, last, p);
        double bs = SyntheticExperiment.betweenSign(r, last, p);
        assertTrue(html.contains("<td>" + f3(ws) + "</td>"), "within sign " + r + " " + p);
        assertTrue(html.contains("<td>" + f3(bs) + "</td>"), "between sign " + r + " " + p);
        assertTrue(html.contains("<td>" + f3(ws / 2) + "</td>"), "within cos " + r + " " + p);
        assertTrue(html.contains("<td>" + f3(bs / 2) + "</td>"), "between cos " + r + " " + p);
      }
    }
    // xi to 3 significant digits: run 0 ends at 1.0 [0.875, 1.25], run 1 at 1.125 [1.0, 1.375]
    // (all pairs: 1.3125 [1.25, 1.375] and 1.4375 [1.375, 1.5]).
    assertTrue(html.contains("<td class=\"l\">1.00 [0.875, 1.25]</td>"), "xi run 0");
    assertTrue(html.contains("<td class=\"l\">1.13 [1.00, 1.38]</td>"), "xi run 1");
    assertTrue(html.contains("<td class=\"l\">1.31 [1.25, 1.38]</td>"), "all-pairs xi run 0");
    assertTrue(html.contains("<td class=\"l\">1.44 [1.38, 1.50]</td>"), "all-pairs xi run 1");
    assertTrue(html.contains("Learning rate 0.001"));
    assertTrue(html.contains("Learning rate 0.01<"));
    // lr 0.01 has one checkpoint without a crossing, in every pairing.
    assertTrue(html.contains("<td class=\"l\">2 of 3 checkpoints (no crossing at 1)</td>"));
    assertTrue(html.contains("<td class=\"l\">all 3 checkpoints</td>"));
    assertFalse(html.contains("was not measured</b>"), "every pairing has an xi somewhere");
  }

  /**
   * Pairings beyond the paper's three (MNLI's mismatched dev set) get their row of key figures and
   * their plots, in summary order, with axes named after their sets.
   */
  @Test
  void everyMeasuredPairingIsReportedInSummaryOrder() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    String extra = "train-val_mismatched";
    List<Run> runs = new ArrayList<>();
    for (Run run : s.runs()) {
      List<Checkpoint> cps = new ArrayList<>();
      for (Checkpoint cp : run.checkpoints()) {
        Map<String, PairingSummary> pairings = new LinkedHashMap<>(cp.pairings());
        pairings.put(extra, cp.pairings().get(Pairing.TRAIN_VAL.key()));
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
    ExperimentSummary withExtra = new ExperimentSummary(s.config(), runs);
    Path report = HtmlReport.generate(withExtra, dir, SyntheticExperiment.CLASS_NAMES, null);
    String html = Files.readString(report, StandardCharsets.UTF_8);
    int valVal = html.indexOf("<tr><td class=\"l\">val-val</td>");
    int mismatched = html.indexOf("<tr><td class=\"l\">" + extra + "</td>");
    assertTrue(valVal > 0 && mismatched > valVal, "rows in summary order");
    for (String plot :
        List.of(
            "xi-" + extra + ".png",
            "distance-" + extra + ".png",
            "class-sign-" + extra + "-lr" + FigureData.lr(s.runs().get(0).lr()) + ".png")) {
      assertTrue(Files.isRegularFile(dir.resolve("plots").resolve(plot)), plot);
      assertTrue(html.contains("plots/" + plot), plot);
    }
  }

  @Test
  void aMergedMeasurementStatesTheCostOfEveryShard() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    assertFalse(HtmlReport.html(s, dir, List.of()).contains("<h2>Cost</h2>"), "no resources");
    ObjectNode config = JsonSummary.mapper().createObjectNode();
    ObjectNode r = config.putObject("resources");
    r.putArray("shards")
        .addObject()
        .put("shard", "1/2")
        .put("device", "gpu(0)")
        .put("host", "node<7>")
        .put("seconds", 12.34)
        .put("peak_rss_bytes", 3L << 29)
        .put("tiles_computed", 40)
        .put("tiles_recomputed", 2)
        .put("tiles_skipped", 5);
    r.putObject("merge").put("seconds", 7.0).put("peak_rss_bytes", 1L << 30);
    String html = HtmlReport.html(new ExperimentSummary(config, s.runs()), dir, List.of());
    assertTrue(html.contains("<h2>Cost</h2>"), html);
    // 1.5 GiB, 42 tiles computed (2 of them recomputed), 5 skipped; the host escaped.
    assertTrue(
        html.contains(
            "<tr><td class=\"l\">shard 1/2</td><td class=\"l\">gpu(0)</td><td class=\"l\">"
                + "node&lt;7&gt;</td><td>12.3</td><td>1.50 GiB</td><td>42</td><td>5</td></tr>"),
        html);
    assertTrue(html.contains("<td>7.0</td><td>1.00 GiB</td>"), html);
  }

  /**
   * A merge of a checkpoint saved before {@code checkpoint.json} recorded the learning rate and
   * step has neither (NaN, null) nor loss and accuracy: the report says so and draws what it has.
   */
  @Test
  void aMergedCheckpointWithoutItsLearningRateAndStepIsReportedAsUnknown() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    Checkpoint measured = s.runs().get(0).checkpoints().get(2);
    Checkpoint merged =
        new Checkpoint(
            null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, measured.pairings());
    ExperimentSummary unknown =
        new ExperimentSummary(s.config(), List.of(new Run(Double.NaN, List.of(merged))));
    Path report = HtmlReport.generate(unknown, dir, null, null);
    String html = Files.readString(report, StandardCharsets.UTF_8);
    assertTrue(html.contains("<h3>Learning rate unknown</h3>"), html);
    assertTrue(html.contains("Last checkpoint: step unknown,"), html);
  }

  @Test
  void textFromTheSummaryIsEscaped() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    String html = HtmlReport.html(s, dir, List.of());
    assertTrue(html.contains("synthetic &lt;test&gt;"), "config not escaped");
    assertFalse(html.contains("<test>"));
    // The no-crossing reason only shows for a last checkpoint without crossing; check escape().
    assertEquals(
        "no crossing &lt;below&gt; &amp; &quot;above&quot;",
        HtmlReport.escape(SyntheticExperiment.NO_CROSSING_REASON));
  }

  @Test
  void aLastCheckpointWithoutCrossingShowsItsReasonEscaped() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    Run run = s.runs().get(1);
    Checkpoint last = run.checkpoints().get(run.checkpoints().size() - 1);
    Map<String, PairingSummary> pairings = new LinkedHashMap<>(last.pairings());
    PairingSummary vv = pairings.get(Pairing.VAL_VAL.key());
    pairings.put(
        Pairing.VAL_VAL.key(),
        new PairingSummary(
            vv.withinSign(),
            vv.betweenSign(),
            vv.withinCos(),
            vv.betweenCos(),
            new CriticalLengthSummary(null, null, null, SyntheticExperiment.NO_CROSSING_REASON),
            vv.criticalLengthAllPairs(),
            vv.distanceProfile(),
            vv.withinClassDistanceProfile(),
            vv.classSignMatrix(),
            vv.classCosMatrix(),
            vv.pairCountMatrix(),
            0,
            0,
            null,
            null));
    List<Checkpoint> cps = new ArrayList<>(run.checkpoints());
    cps.set(
        cps.size() - 1,
        new Checkpoint(
            last.step(),
            last.epoch(),
            last.trainLoss(),
            last.trainAcc(),
            last.valLoss(),
            last.valAcc(),
            pairings));
    ExperimentSummary changed =
        new ExperimentSummary(s.config(), List.of(s.runs().get(0), new Run(run.lr(), cps)));
    String html = HtmlReport.html(changed, dir, List.of());
    assertTrue(html.contains("no crossing &lt;below&gt; &amp; &quot;above&quot;"), html);
    assertFalse(html.contains("<below>"));
    assertTrue(
        html.contains("<td class=\"l\">1 of 3 checkpoints (no crossing at 2)</td>"),
        "two val-val checkpoints without crossing");
  }

  @Test
  void reportIsWrittenWithoutLeavingTemporaryFiles() throws IOException {
    generate();
    generate(); // overwriting an existing report and plots is atomic too
    try (Stream<Path> files = Files.walk(dir)) {
      assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".tmp")).toList());
    }
  }

  /** The paper's vocabulary, each term defined at the top, before the first figure or table. */
  @Test
  void aGlossaryAtTheTopDefinesThePapersTerms() throws IOException {
    String html = generate();
    int glossary = html.indexOf("<h2>Glossary</h2>");
    int keyFigures = html.indexOf("<h2>Key figures</h2>");
    assertTrue(glossary > 0 && glossary < keyFigures, "glossary before the key figures");
    String top = html.substring(glossary, keyFigures);
    for (String term :
        List.of(
            "sign stiffness",
            "cosine stiffness",
            "within-class",
            "between-class",
            "train-train",
            "train-val",
            "val-val",
            "input distance",
            "1 - cos(X1, X2)",
            "critical length xi",
            "<dt>crossing</dt>")) {
      assertTrue(top.contains(term), "glossary lacks " + term);
    }
    assertFalse(html.substring(0, glossary).contains("<figure>"), "a figure before the glossary");
  }

  /** Every figure section opens with its intro (what it shows, how to read it) before a figure. */
  @Test
  void everySectionOpensWithItsIntroBeforeItsFirstFigure() throws IOException {
    String html = generate();
    int sections = 0;
    for (int at = html.indexOf("<h2"); at >= 0; at = html.indexOf("<h2", at + 1)) {
      String heading = html.substring(html.indexOf('>', at) + 1, html.indexOf("</h2>", at));
      int next = html.indexOf("<h2", at + 1);
      int figure = html.indexOf("<figure>", at);
      if (figure < 0 || (next >= 0 && figure > next)) {
        continue; // glossary, key figures, configuration: no figures
      }
      sections++;
      int intro = html.indexOf("<p class=\"intro\">", at);
      assertTrue(intro > at && intro < figure, heading + ": no intro before its first figure");
      String text = html.substring(intro, html.indexOf("</p>", intro));
      long sentences = text.chars().filter(c -> c == '.').count();
      assertTrue(sentences >= 2, heading + ": intro of " + sentences + " sentences: " + text);
    }
    // Training, distance, critical length, class stiffness.
    assertEquals(4, sections);
  }

  /** The headline (stiffness over training, after loss and accuracy) precedes the heatmaps. */
  @Test
  void theHeadlinePlotsComeBeforeTheHeatmaps() throws IOException {
    String html = generate();
    int training = html.indexOf("<h2 id=\"stiffness-over-training\">Stiffness over training</h2>");
    int classes = html.indexOf("<h2 id=\"class-stiffness\">Class stiffness</h2>");
    assertTrue(training > 0 && classes > training, "training section first");
    assertTrue(html.indexOf("<h2 id=\"stiffness-vs-input-distance\">") < classes, "distance");
    assertTrue(html.indexOf("<h2 id=\"critical-length\">") < classes, "critical length");
    int firstImage = html.indexOf("<img src=\"plots/");
    assertTrue(html.startsWith("<img src=\"plots/loss-lr", firstImage), "first figure: loss");
    assertTrue(html.indexOf("plots/class-") > html.lastIndexOf("plots/training-"));
  }

  /** Loss and accuracy do not depend on the pairing: one panel per run, not one per pairing. */
  @Test
  void lossAndAccuracyAreShownOncePerRun() throws IOException {
    String html = generate();
    for (double lr : SyntheticExperiment.LRS) {
      String src = "<img src=\"plots/loss-lr" + FigureData.lr(lr) + ".png\"";
      assertEquals(html.indexOf(src), html.lastIndexOf(src), src);
      assertTrue(html.contains(src), src);
    }
  }

  @Test
  void checkpointsWithAnXiAreCountedInWords() {
    assertEquals("all 8 checkpoints", HtmlReport.measuredAt(0, 8));
    assertEquals("5 of 8 checkpoints (no crossing at 3)", HtmlReport.measuredAt(3, 8));
    assertEquals("none of 8 checkpoints (not measured: no crossing)", HtmlReport.measuredAt(8, 8));
  }

  /** A pairing without a crossing at any checkpoint: the report says xi was not measured. */
  @Test
  void aPairingThatNeverCrossesSaysPlainlyThatXiWasNotMeasured() throws IOException {
    ExperimentSummary s = SyntheticExperiment.write(dir);
    String reason =
        "crossing_outside_range: fitted crossing at d = 2.333 lies outside the observed"
            + " distances [0.03244, 1.474]";
    List<Run> runs = new ArrayList<>();
    for (Run run : s.runs()) {
      List<Checkpoint> cps = new ArrayList<>();
      for (Checkpoint cp : run.checkpoints()) {
        Map<String, PairingSummary> pairings = new LinkedHashMap<>(cp.pairings());
        PairingSummary tv = pairings.get(Pairing.TRAIN_VAL.key());
        pairings.put(
            Pairing.TRAIN_VAL.key(),
            new PairingSummary(
                tv.withinSign(),
                tv.betweenSign(),
                tv.withinCos(),
                tv.betweenCos(),
                new CriticalLengthSummary(null, null, null, reason),
                tv.criticalLengthAllPairs(),
                tv.distanceProfile(),
                tv.withinClassDistanceProfile(),
                tv.classSignMatrix(),
                tv.classCosMatrix(),
                tv.pairCountMatrix(),
                0,
                0,
                null,
                null));
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
    String html = HtmlReport.html(new ExperimentSummary(s.config(), runs), dir, List.of());
    assertTrue(
        html.contains("<td class=\"l\">none of 3 checkpoints (not measured: no crossing)</td>"),
        html);
    assertTrue(html.contains("<b>The paper's xi was not measured</b> for train-val:"), html);
    assertTrue(
        html.contains(
            "no crossing: stiffness stays positive over all measured distances (up to 1.47; the"
                + " fitted line would reach 0 at d = 2.33)"),
        html);
    assertFalse(html.contains("crossing_outside_range"), "the reason's code is not shown");
  }
}
