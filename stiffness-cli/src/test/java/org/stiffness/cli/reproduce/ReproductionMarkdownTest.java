package org.stiffness.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stiffness.io.JsonSummary;

class ReproductionMarkdownTest {
  private static final List<ReproductionReport.Experiment> EXPERIMENTS =
      List.of(
          new ReproductionReport.Experiment(
              "fm-fc", "fc on Fashion-MNIST", "ran", null, "c1", 99.6),
          new ReproductionReport.Experiment("fm-cnn", "cnn", "ran", null, "c2", 231.2),
          new ReproductionReport.Experiment(
              "mnist-fc", "fc on MNIST", "not run", "no --data-dir", "c3", 0));

  @Test
  void theTableFollowsClaimOrderWithTheRunsProvenanceAndVerdictCounts() {
    List<ClaimResult> rows =
        List.of(
            new ClaimResult(Claim.values()[1], "fm-cnn", Verdict.DOES_NOT_HOLD, "b", List.of()),
            new ClaimResult(Claim.values()[0], "fm-cnn", Verdict.HOLDS, "0.30 | 0.10", List.of()),
            new ClaimResult(Claim.values()[0], "fm-fc", Verdict.HOLDS, "a", List.of()),
            new ClaimResult(Claim.values()[0], "mnist-fc", Verdict.NOT_RUN, "no data", List.of()));
    ObjectNode settings =
        JsonSummary.mapper()
            .createObjectNode()
            .put("scale", 0.5)
            .put("seed", 7)
            .put("device", "cpu");
    String md =
        ReproductionMarkdown.render(
            new ReproductionMarkdown.Provenance(
                "a07b2d1c0ffe",
                Instant.parse("2026-12-07T11:40:00Z"),
                "Some CPU (2 CPUs)",
                3.4,
                344),
            settings,
            EXPERIMENTS,
            rows);
    assertTrue(
        md.contains(
            "Measured at commit `a07b2d1c0ffe` on 2026-12-07 11:40 UTC, on Some CPU (2 CPUs) (load"
                + " average 3.4 at the end): scale 0.5, seed 7, device cpu; wall time 5 min 44 s.\n"),
        md);
    assertTrue(
        md.contains(
            "Experiments: fm-fc (100 s), fm-cnn (231 s), mnist-fc (not run: no --data-dir).\n"),
        md);
    // The not-run experiment's row stays out of the table and the counts.
    assertTrue(md.contains("Verdicts: 2 holds, 1 does not hold.\n"), md);
    String c0 = Claim.values()[0].title();
    String c1 = Claim.values()[1].title();
    String table = md.substring(md.indexOf("| claim |"));
    assertEquals(
        List.of(
            "| claim | experiment | measured (train-val, cosine) | verdict |",
            "|---|---|---|---|",
            "| " + c0 + " | fm-fc | a | holds |",
            "| " + c0 + " | fm-cnn | 0.30 \\| 0.10 | holds |",
            "| " + c1 + " | fm-cnn | b | does not hold |"),
        table.lines().toList());
  }

  @Test
  void anUnknownCommitIsSaidSo() {
    String md =
        ReproductionMarkdown.render(
            new ReproductionMarkdown.Provenance(null, Instant.EPOCH, "m", -1, 42),
            JsonSummary.mapper().createObjectNode(),
            EXPERIMENTS,
            List.of());
    assertTrue(md.contains("commit `unknown` on 1970-01-01 00:00 UTC, on m: scale ?"), md);
    assertTrue(md.contains("wall time 42 s."), md);
    assertTrue(md.contains("Verdicts: none."), md);
  }
}
