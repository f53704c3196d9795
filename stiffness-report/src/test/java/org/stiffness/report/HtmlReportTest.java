package org.stiffness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(24, pngs.size());
    for (Path png : pngs) {
      String rel = dir.relativize(png).toString().replace('\\', '/');
      assertTrue(html.contains("src=\"" + rel + "\""), "report does not show " + rel);
    }
    assertFalse(html.contains(dir.toAbsolutePath().toString()), "absolute paths in the report");
  }

  @Test
  void reportShowsTheKeyFiguresOfEachRun() throws IOException {
    String html = generate();
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
      double xi = SyntheticExperiment.xi(r, last);
      assertTrue(
          html.contains(f3(xi) + " [" + f3(xi - 0.125) + ", " + f3(xi + 0.25) + "]"),
          "xi run " + r);
      double all = SyntheticExperiment.xiAllPairs(r, last);
      assertTrue(
          html.contains(f3(all) + " [" + f3(all - 0.0625) + ", " + f3(all + 0.0625) + "]"),
          "all-pairs xi run " + r);
    }
    assertTrue(html.contains("Learning rate 0.001"));
    assertTrue(html.contains("Learning rate 0.01<"));
    // lr 0.01 has one checkpoint without a crossing, in every pairing.
    assertTrue(html.contains("<td>1 of 3</td>"));
    assertTrue(html.contains("<td>0 of 3</td>"));
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
    assertTrue(html.contains("<td>2 of 3</td>"), "two val-val checkpoints without crossing");
  }

  @Test
  void reportIsWrittenWithoutLeavingTemporaryFiles() throws IOException {
    generate();
    generate(); // overwriting an existing report and plots is atomic too
    try (Stream<Path> files = Files.walk(dir)) {
      assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".tmp")).toList());
    }
  }
}
