package org.stiffness.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stiffness.report.Figure;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.ClassGroupsSummary;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.DistanceBin;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * Verdicts of {@link Claims} on hand-built summaries whose numbers decide them: class matrices with
 * hand-computed means and standard errors, distance profiles with known rank correlations, xi
 * intervals that do or do not overlap.
 */
class ClaimsTest {

  private static final CriticalLengthSummary NONE =
      new CriticalLengthSummary(null, null, null, "crossing_outside_range: at d = 2.3");

  /** Class matrices by path, as the summary names them. */
  private final Map<String, double[][]> matrices = new HashMap<>();

  private final ClassMatrices reader =
      path -> {
        double[][] m = matrices.get(path);
        if (m == null) {
          throw new NoSuchFileException(path);
        }
        return m;
      };

  /** A builder of one run's checkpoints with the numbers the claims read. */
  private final class RunBuilder {
    final double lr;
    final List<Checkpoint> checkpoints = new ArrayList<>();

    RunBuilder(double lr) {
      this.lr = lr;
    }

    RunBuilder at(long step, double valLoss, double[][] classCos) {
      return at(step, valLoss, classCos, NONE, NONE, List.of(), null);
    }

    RunBuilder at(
        long step,
        double valLoss,
        double[][] classCos,
        CriticalLengthSummary xi,
        CriticalLengthSummary xiAll,
        List<DistanceBin> profile,
        List<Integer> groupOf) {
      String path = "lr=" + lr + "/step=" + step + "/train-val.class-cos.npy";
      matrices.put(path, classCos);
      ClassGroupsSummary groups =
          groupOf == null
              ? null
              : new ClassGroupsSummary(
                  "test", List.of("g0", "g1"), groupOf, 0, null, null, 0, null, null, "", "", "");
      PairingSummary p =
          new PairingSummary(
              null, null, null, null, xi, xiAll, profile, profile, "", path, "", 0, 0, null,
              groups);
      Map<String, PairingSummary> pairings = new LinkedHashMap<>();
      pairings.put("train-val", p);
      checkpoints.add(new Checkpoint(step, step / 10.0, 1.0, 0.5, valLoss, 0.5, pairings));
      return this;
    }

    Run build() {
      return new Run(lr, checkpoints);
    }
  }

  private static ExperimentSummary summary(Run... runs) {
    return new ExperimentSummary(null, List.of(runs));
  }

  private ClaimResult claim(Claim claim, ExperimentSummary s) throws IOException {
    return Claims.judge(Claims.STANDARD, new Evidence("exp", s, reader, List.of())).stream()
        .filter(r -> r.claim() == claim)
        .findFirst()
        .orElseThrow();
  }

  private ClaimResult generalisation(ExperimentSummary s) throws IOException {
    return Claims.judge(List.of(Claim.GENERALISATION), new Evidence("over", s, reader, List.of()))
        .get(0);
  }

  /** Diagonal {@code diag}, every off-diagonal cell {@code off}. */
  private static double[][] cells(double[] diag, double off) {
    double[][] m = new double[diag.length][diag.length];
    for (int a = 0; a < diag.length; a++) {
      for (int b = 0; b < diag.length; b++) {
        m[a][b] = a == b ? diag[a] : off;
      }
    }
    return m;
  }

  // Diagonal {0.3, 0.5, 0.7}: mean 0.5, sample variance 0.04, SE sqrt(0.04/3) = 0.1155; six equal
  // off-diagonal cells 0.1 add no variance. Margin 0.4 > 2 SE = 0.231: exceeds.
  private static final double[][] CLEAR = cells(new double[] {0.3, 0.5, 0.7}, 0.1);
  // Diagonal {0.1, 0.5, 0.9}: variance 0.16, SE 0.2309, 2 SE = 0.462 > margin 0.4: does not.
  private static final double[][] NOISY = cells(new double[] {0.1, 0.5, 0.9}, 0.1);

  @Test
  void withinOverBetweenHoldsAtFourOfFiveCheckpointsAfterStepZero() throws IOException {
    // Step 0 (NOISY) is not counted; 4 of the 5 later checkpoints exceed: 0.8, the threshold.
    RunBuilder r = new RunBuilder(0.01).at(0, 1, NOISY);
    for (long step : new long[] {1, 2, 4, 8}) {
      r.at(step, 1, CLEAR);
    }
    r.at(16, 1, NOISY);
    ClaimResult c = claim(Claim.WITHIN_OVER_BETWEEN, summary(r.build()));
    assertEquals(Verdict.HOLDS, c.verdict(), c.figure());
    assertTrue(c.figure().contains("4/5 checkpoints"), c.figure());
    assertTrue(c.figure().contains("difference +0.400, SE 0.231"), c.figure());
  }

  @Test
  void withinOverBetweenFailsWhenTheMarginIsWithinTwoStandardErrors() throws IOException {
    RunBuilder r = new RunBuilder(0.01).at(0, 1, CLEAR);
    for (long step : new long[] {1, 2, 4}) {
      r.at(step, 1, NOISY);
    }
    r.at(8, 1, CLEAR).at(16, 1, CLEAR);
    ClaimResult c = claim(Claim.WITHIN_OVER_BETWEEN, summary(r.build()));
    assertEquals(Verdict.DOES_NOT_HOLD, c.verdict(), c.figure());
    assertTrue(c.figure().contains("2/5 checkpoints"), c.figure());
  }

  @Test
  void withinOverBetweenMustHoldForEveryLearningRate() throws IOException {
    Run good = new RunBuilder(0.001).at(0, 1, CLEAR).at(5, 1, CLEAR).build();
    Run bad = new RunBuilder(0.01).at(0, 1, CLEAR).at(5, 1, NOISY).build();
    assertEquals(Verdict.HOLDS, claim(Claim.WITHIN_OVER_BETWEEN, summary(good)).verdict());
    assertEquals(
        Verdict.DOES_NOT_HOLD, claim(Claim.WITHIN_OVER_BETWEEN, summary(good, bad)).verdict());
  }

  @Test
  void emptyCellsAreLeftOutOfTheMeans() throws IOException {
    // A class without pairs (NaN) must not turn the margin into NaN, which would never exceed.
    double[][] m = cells(new double[] {0.3, 0.5, 0.7, Double.NaN}, 0.1);
    m[3][0] = Double.NaN;
    Run run = new RunBuilder(0.01).at(0, 1, m).at(5, 1, m).build();
    assertEquals(Verdict.HOLDS, claim(Claim.WITHIN_OVER_BETWEEN, summary(run)).verdict());
  }

  private static List<DistanceBin> profile(double... meanCos) {
    List<DistanceBin> bins = new ArrayList<>();
    for (int i = 0; i < meanCos.length; i++) {
      bins.add(new DistanceBin(0.1 * i, 0.1 * (i + 1), 500, meanCos[i], meanCos[i]));
    }
    return bins;
  }

  @Test
  void distanceDecayUsesTheLastCheckpointsProfile() throws IOException {
    // Step 0 rises with distance, the last checkpoint falls except one swap: rho = 1 - 6*2/(5*24)
    // = 0.9 in magnitude, so -0.9 <= -0.5.
    Run run =
        new RunBuilder(0.01)
            .at(0, 1, CLEAR, NONE, NONE, profile(0.1, 0.2, 0.3, 0.4, 0.5), null)
            .at(9, 1, CLEAR, NONE, NONE, profile(0.5, 0.4, 0.2, 0.3, 0.1), null)
            .build();
    ClaimResult c = claim(Claim.DISTANCE_DECAY_ALL_PAIRS, summary(run));
    assertEquals(Verdict.HOLDS, c.verdict(), c.figure());
    assertTrue(
        c.figure().contains("-0.90 (5 bins, cos +0.500 at d = 0.05 to +0.100 at d = 0.45)"),
        c.figure());
  }

  @Test
  void distanceDecayFailsOnAFlatProfileAndIgnoresSparseBins() throws IOException {
    List<DistanceBin> bins = new ArrayList<>(profile(0.3, 0.1, 0.2, 0.1, 0.3));
    // rho of {0.3, 0.1, 0.2, 0.1, 0.3} with position: ranks {4.5, 1.5, 3, 1.5, 4.5}, rho 0;
    // a sparse last bin at -1 would make it negative if it were counted.
    bins.add(new DistanceBin(0.5, 0.6, Claims.MIN_BIN_PAIRS - 1, -1.0, -1.0));
    Run run = new RunBuilder(0.01).at(9, 1, CLEAR, NONE, NONE, bins, null).build();
    ClaimResult c = claim(Claim.DISTANCE_DECAY_ALL_PAIRS, summary(run));
    assertEquals(Verdict.DOES_NOT_HOLD, c.verdict(), c.figure());
    assertTrue(c.figure().contains("+0.00 (5 bins"), c.figure());
  }

  @Test
  void withinClassAndAllPairsDecayAreJudgedOnTheirOwnProfiles() throws IOException {
    Run run = new RunBuilder(0.01).at(9, 1, CLEAR).build();
    PairingSummary p = run.checkpoints().get(0).pairings().get("train-val");
    run.checkpoints()
        .get(0)
        .pairings()
        .put(
            "train-val",
            new PairingSummary(
                null,
                null,
                null,
                null,
                NONE,
                NONE,
                profile(0.1, 0.2, 0.3),
                profile(0.3, 0.2, 0.1),
                "",
                p.classCosMatrix(),
                "",
                0,
                0,
                null,
                null));
    assertEquals(Verdict.HOLDS, claim(Claim.DISTANCE_DECAY_WITHIN, summary(run)).verdict());
    assertEquals(
        Verdict.DOES_NOT_HOLD, claim(Claim.DISTANCE_DECAY_ALL_PAIRS, summary(run)).verdict());
  }

  @Test
  void distanceDecayNeedsThreePopulatedBins() throws IOException {
    Run run = new RunBuilder(0.01).at(9, 1, CLEAR, NONE, NONE, profile(0.3, 0.1), null).build();
    assertEquals(
        Verdict.NOT_MEASURABLE, claim(Claim.DISTANCE_DECAY_ALL_PAIRS, summary(run)).verdict());
  }

  private static CriticalLengthSummary xi(double value, double low, double high) {
    return new CriticalLengthSummary(value, low, high, null);
  }

  private RunBuilder xiRun(double lr, CriticalLengthSummary first, CriticalLengthSummary last) {
    return new RunBuilder(lr)
        .at(0, 1, CLEAR, first, first, List.of(), null)
        .at(3, 1, CLEAR, NONE, NONE, List.of(), null)
        .at(9, 1, CLEAR, last, last, List.of(), null);
  }

  @Test
  void xiShrinksWhenTheLastIntervalLiesBelowTheFirst() throws IOException {
    Run run = xiRun(0.01, xi(1.0, 0.95, 1.05), xi(0.8, 0.75, 0.85)).build();
    ClaimResult c = claim(Claim.XI_TRAINING_WITHIN, summary(run));
    assertEquals(Verdict.HOLDS, c.verdict(), c.figure());
    assertTrue(c.figure().contains("crossing at 2/3 checkpoints"), c.figure());
    assertEquals(Verdict.HOLDS, claim(Claim.XI_TRAINING_ALL_PAIRS, summary(run)).verdict());
  }

  @Test
  void xiOverlappingOrGrowingDoesNotHold() throws IOException {
    Run overlap = xiRun(0.01, xi(1.0, 0.95, 1.05), xi(0.9, 0.85, 0.96)).build();
    ClaimResult c = claim(Claim.XI_TRAINING_WITHIN, summary(overlap));
    assertEquals(Verdict.DOES_NOT_HOLD, c.verdict());
    assertTrue(c.figure().contains("intervals overlap"), c.figure());
    Run grows = xiRun(0.01, xi(1.0, 0.95, 1.05), xi(1.2, 1.1, 1.3)).build();
    assertTrue(claim(Claim.XI_TRAINING_WITHIN, summary(grows)).figure().contains("(larger)"));
  }

  @Test
  void xiWithoutACrossingIsItsOwnOutcome() throws IOException {
    Run run = xiRun(0.01, xi(1.0, 0.95, 1.05), NONE).build();
    ClaimResult c = claim(Claim.XI_TRAINING_WITHIN, summary(run));
    assertEquals(Verdict.NO_CROSSING, c.verdict());
    assertTrue(c.figure().contains("no crossing at step 9 (crossing_outside_range)"), c.figure());
  }

  @Test
  void aRunWhoseXiGrowsOutweighsAnotherRunWithoutACrossing() throws IOException {
    Run grows = xiRun(0.001, xi(1.0, 0.95, 1.05), xi(1.2, 1.1, 1.3)).build();
    Run none = xiRun(0.01, xi(1.0, 0.95, 1.05), NONE).build();
    assertEquals(
        Verdict.DOES_NOT_HOLD, claim(Claim.XI_TRAINING_WITHIN, summary(grows, none)).verdict());
    Run shrinks = xiRun(0.001, xi(1.0, 0.95, 1.05), xi(0.8, 0.75, 0.85)).build();
    assertEquals(
        Verdict.NO_CROSSING, claim(Claim.XI_TRAINING_WITHIN, summary(shrinks, none)).verdict());
  }

  @Test
  void xiAgainstLearningRateComparesTheLowestAndHighestRateAtTheLastCommonStep()
      throws IOException {
    // The fast run diverged after step 3: both are compared at step 3, where the slow run's xi
    // is the larger; at step 9 (slow run only) it would not be.
    Run slow =
        new RunBuilder(0.001)
            .at(0, 1, CLEAR, NONE, NONE, List.of(), null)
            .at(3, 1, CLEAR, xi(1.2, 1.1, 1.3), xi(1.2, 1.1, 1.3), List.of(), null)
            .at(9, 1, CLEAR, xi(0.5, 0.4, 0.6), xi(0.5, 0.4, 0.6), List.of(), null)
            .build();
    Run fast =
        new RunBuilder(0.1)
            .at(0, 1, CLEAR, NONE, NONE, List.of(), null)
            .at(3, 1, CLEAR, xi(0.9, 0.85, 0.95), xi(1.5, 1.4, 1.6), List.of(), null)
            .build();
    ClaimResult within = claim(Claim.XI_LR_WITHIN, summary(fast, slow));
    assertEquals(Verdict.HOLDS, within.verdict(), within.figure());
    assertTrue(within.figure().startsWith("step 3: lr 0.001: 1.200"), within.figure());
    ClaimResult all = claim(Claim.XI_LR_ALL_PAIRS, summary(fast, slow));
    assertEquals(Verdict.DOES_NOT_HOLD, all.verdict());
    assertTrue(all.figure().contains("as v1 said"), all.figure());
  }

  @Test
  void xiAgainstLearningRateNeedsTwoRates() throws IOException {
    Run run = xiRun(0.01, xi(1.0, 0.95, 1.05), xi(0.8, 0.75, 0.85)).build();
    assertEquals(Verdict.NOT_MEASURABLE, claim(Claim.XI_LR_WITHIN, summary(run)).verdict());
  }

  /**
   * Four classes in groups {0, 1} and {2, 3}: within-group cells (0,1), (1,0), (2,3), (3,2) are
   * {@code w + jitter}, the eight across-group cells {@code a + jitter}.
   */
  private static double[][] grouped(double w, double a) {
    double[][] m = new double[4][4];
    double[] jitter = {0.01, -0.01};
    int k = 0;
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        m[i][j] = i == j ? 0.5 : ((i / 2 == j / 2) ? w : a) + jitter[k++ % 2];
      }
    }
    return m;
  }

  @Test
  void classGroupsHoldWhenWithinGroupStiffnessExceedsAcrossGroup() throws IOException {
    List<Integer> groupOf = List.of(0, 0, 1, 1);
    Run run =
        new RunBuilder(0.01)
            .at(0, 1, grouped(0, 0), NONE, NONE, List.of(), groupOf)
            .at(4, 1, grouped(0.3, 0.0), NONE, NONE, List.of(), groupOf)
            .build();
    ClaimResult c = claim(Claim.CLASS_GROUPS, summary(run));
    assertEquals(Verdict.HOLDS, c.verdict(), c.figure());
    assertTrue(c.figure().contains("within-group 0.300 vs across-group 0.000"), c.figure());
    // The opposite, as measured on Fashion-MNIST: anti-stiff within a group.
    Run reversed =
        new RunBuilder(0.01)
            .at(0, 1, grouped(0, 0), NONE, NONE, List.of(), groupOf)
            .at(4, 1, grouped(-0.2, 0.0), NONE, NONE, List.of(), groupOf)
            .build();
    ClaimResult r = claim(Claim.CLASS_GROUPS, summary(reversed));
    assertEquals(Verdict.DOES_NOT_HOLD, r.verdict());
    assertTrue(r.figure().contains("higher at 0/1 checkpoints, lower at 1"), r.figure());
  }

  @Test
  void classGroupsAreNotRunWithoutAGrouping() throws IOException {
    Run run = new RunBuilder(0.01).at(0, 1, CLEAR).at(4, 1, CLEAR).build();
    assertEquals(Verdict.NOT_RUN, claim(Claim.CLASS_GROUPS, summary(run)).verdict());
  }

  @Test
  void generalisationHoldsWhenWithinClassStiffnessFallsAfterTheValidationMinimum()
      throws IOException {
    // Val loss least at step 20 (0.8), last 1.2: +50 %, overfitted. Within-class change from the
    // minimum to the end per class {-0.3, -0.35, -0.35}: mean -0.333, SE 0.0167: falls.
    Run run =
        new RunBuilder(0.001)
            .at(0, 2.0, cells(new double[] {0.2, 0.2, 0.2}, 0))
            .at(5, 1.0, cells(new double[] {0.4, 0.5, 0.6}, 0))
            .at(20, 0.8, cells(new double[] {0.6, 0.7, 0.8}, 0))
            .at(80, 1.2, cells(new double[] {0.3, 0.35, 0.45}, 0))
            .build();
    ClaimResult c = generalisation(summary(run));
    assertEquals(Verdict.HOLDS, c.verdict(), c.figure());
    assertTrue(c.figure().contains("least 0.800 at step 20"), c.figure());
    assertTrue(c.figure().contains("after -0.333 +- 0.017"), c.figure());
  }

  @Test
  void generalisationFailsWhenStiffnessStaysAfterTheMinimum() throws IOException {
    Run run =
        new RunBuilder(0.001)
            .at(0, 2.0, cells(new double[] {0.2, 0.2, 0.2}, 0))
            .at(20, 0.8, cells(new double[] {0.6, 0.7, 0.8}, 0))
            .at(80, 1.2, cells(new double[] {0.62, 0.68, 0.8}, 0))
            .build();
    assertEquals(Verdict.DOES_NOT_HOLD, generalisation(summary(run)).verdict());
  }

  @Test
  void generalisationIsNotMeasurableWithoutOverfitting() throws IOException {
    // The last loss is 4 % above the least: below the 5 % that counts as overfitting.
    Run run =
        new RunBuilder(0.001)
            .at(0, 2.0, CLEAR)
            .at(20, 1.0, CLEAR)
            .at(80, 1.04, cells(new double[] {0, 0, 0}, 0))
            .build();
    ClaimResult c = generalisation(summary(run));
    assertEquals(Verdict.NOT_MEASURABLE, c.verdict());
    assertTrue(c.figure().contains("no overfitting"), c.figure());
  }

  @Test
  void aSummaryWithoutTheTrainValPairingIsRefusedNamingTheField() {
    Run run = new RunBuilder(0.01).at(0, 1, CLEAR).build();
    run.checkpoints().get(0).pairings().clear();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Claims.judge(
                    Claims.STANDARD, new Evidence("exp", summary(run), reader, List.of())));
    assertTrue(e.getMessage().contains("runs[0].checkpoints[0].pairings"), e.getMessage());
  }

  @Test
  void everyClaimHasExactlyOneJudgeAndTheStandardOnesAreAllButGeneralisation() {
    assertEquals(List.of(Claim.values()), Claims.judged());
    List<Claim> standard = new ArrayList<>(List.of(Claim.values()));
    standard.remove(Claim.GENERALISATION);
    assertEquals(standard, Claims.STANDARD);
  }

  /** A figure as writeAll returns it, under {@code plots/}; only its kind and pairing matter. */
  private static Figure figure(
      String name, Figure.Kind kind, String pairing, StiffnessMeasure measure) {
    return new Figure(Path.of("plots", name), "section", "caption", kind, pairing, measure);
  }

  @Test
  void aRowLinksTheFiguresOfItsKindsOnTheJudgedPairingInCosineThenTheReport() throws IOException {
    List<Figure> figures = new ArrayList<>();
    for (String lr : List.of("a", "b")) {
      figures.add(figure("loss-" + lr, Figure.Kind.LOSS, null, null));
    }
    for (String p : List.of("train-train", "train-val")) {
      for (String lr : List.of("a", "b")) {
        figures.add(figure("training-" + p + "-" + lr, Figure.Kind.TRAINING, p, null));
      }
      figures.add(figure("distance-" + p, Figure.Kind.DISTANCE, p, null));
      figures.add(figure("xi-" + p, Figure.Kind.CRITICAL_LENGTH, p, null));
    }
    for (String p : List.of("train-train", "train-val")) {
      for (String lr : List.of("a", "b")) {
        for (StiffnessMeasure m : StiffnessMeasure.values()) {
          figures.add(figure("class-" + m + "-" + p + "-" + lr, Figure.Kind.CLASS, p, m));
        }
      }
    }
    Run a = new RunBuilder(0.001).at(0, 2.0, CLEAR).at(5, 1.0, CLEAR).at(9, 1.5, CLEAR).build();
    Evidence evidence = new Evidence("exp", summary(a), reader, figures);
    List<ClaimResult> rows =
        Claims.judge(
            List.of(Claim.WITHIN_OVER_BETWEEN, Claim.XI_LR_WITHIN, Claim.GENERALISATION), evidence);
    assertEquals(
        List.of(
            "plots/training-train-val-a",
            "plots/training-train-val-b",
            "plots/class-COSINE-train-val-a",
            "plots/class-COSINE-train-val-b",
            "report.html"),
        rows.get(0).plots());
    assertEquals(List.of("plots/xi-train-val", "report.html"), rows.get(1).plots());
    assertEquals(
        List.of(
            "plots/training-train-val-a",
            "plots/training-train-val-b",
            "plots/loss-a",
            "plots/loss-b",
            "report.html"),
        rows.get(2).plots());
  }
}
