package org.stiffness.cli.reproduce;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.stiffness.report.Plots;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * Verdicts on the paper's claims from an experiment's {@link Evidence}, without running anything:
 * one {@link ClaimJudge} per claim, registered here once. Every verdict is a comparison with a
 * threshold stated here and in docs/reproduction.md:
 *
 * <ul>
 *   <li>All claims are judged on the {@value #PAIRING} pairing, the one the paper ties to
 *       generalisation, and on cosine stiffness (sign stiffness saturates at 1 within a class).
 *   <li>A difference of two stiffness means "exceeds" when it is larger than {@value #SE_MULTIPLE}
 *       standard errors, computed over the <em>class cells</em> the means average (the class
 *       matrix's entries): the cells are the replicates. Pairs are not independent (every pair
 *       shares its examples with hundreds of others), so a standard error over pairs, about
 *       1/sqrt(25000) for 500 examples, would call almost any difference significant.
 *   <li>A claim about training holds when it holds at at least {@value #MIN_FRACTION} of the
 *       checkpoints after step 0 (the initial network has learned nothing) of every learning rate.
 * </ul>
 */
public final class Claims {

  /** The pairing every claim is judged on. */
  public static final String PAIRING = "train-val";

  /** Standard errors a difference must exceed. */
  public static final double SE_MULTIPLE = 2.0;

  /** Fraction of the checkpoints after step 0, per learning rate, a claim must hold at. */
  public static final double MIN_FRACTION = 0.8;

  /**
   * Distance bins with fewer pairs are left out of the decay's rank correlation: the bins the
   * distance plots leave out too, so the plot shows what is judged.
   */
  public static final long MIN_BIN_PAIRS = Plots.MIN_BIN_PAIRS;

  /** Spearman's rank correlation of stiffness with distance must be at most this. */
  public static final double MAX_DECAY_RHO = -0.5;

  /** The last validation loss must exceed its minimum by this fraction for "overfitted". */
  public static final double MIN_OVERFIT_RISE = 0.05;

  /** The judge of every claim, each registered once. */
  private static final Map<Claim, ClaimJudge> JUDGES =
      register(
          new WithinOverBetweenJudge(),
          new DistanceDecayJudge(
              Claim.DISTANCE_DECAY_WITHIN, PairingSummary::withinClassDistanceProfile),
          new DistanceDecayJudge(Claim.DISTANCE_DECAY_ALL_PAIRS, PairingSummary::distanceProfile),
          new XiTrainingJudge(Claim.XI_TRAINING_WITHIN, PairingSummary::criticalLength),
          new XiTrainingJudge(Claim.XI_TRAINING_ALL_PAIRS, PairingSummary::criticalLengthAllPairs),
          new XiLearningRateJudge(Claim.XI_LR_WITHIN, PairingSummary::criticalLength),
          new XiLearningRateJudge(Claim.XI_LR_ALL_PAIRS, PairingSummary::criticalLengthAllPairs),
          new ClassGroupsJudge(),
          new GeneralisationJudge());

  /**
   * The claims an experiment trained as the paper trains is judged on: all but {@link
   * Claim#GENERALISATION}, which needs a run trained until it overfits.
   */
  public static final List<Claim> STANDARD =
      Arrays.stream(Claim.values()).filter(c -> c != Claim.GENERALISATION).toList();

  private Claims() {}

  private static Map<Claim, ClaimJudge> register(ClaimJudge... judges) {
    Map<Claim, ClaimJudge> byClaim = new EnumMap<>(Claim.class);
    for (ClaimJudge judge : judges) {
      if (byClaim.put(judge.claim(), judge) != null) {
        throw new IllegalStateException("two judges of " + judge.claim());
      }
    }
    return Collections.unmodifiableMap(byClaim);
  }

  /** The claims that have a judge: every claim, as a test checks. */
  static List<Claim> judged() {
    return List.copyOf(JUDGES.keySet());
  }

  /**
   * The verdicts on {@code claims}, in that order, from one experiment's evidence.
   *
   * @throws IllegalArgumentException when the summary lacks a field a claim needs, naming it
   * @throws IOException when a class matrix cannot be read
   */
  public static List<ClaimResult> judge(List<Claim> claims, Evidence evidence) throws IOException {
    requireRuns(evidence);
    List<ClaimResult> rows = new ArrayList<>();
    for (Claim claim : claims) {
      rows.add(JUDGES.get(claim).judge(evidence));
    }
    return rows;
  }

  /** The rows of claims an experiment that did not run would have answered. */
  public static List<ClaimResult> notRun(List<Claim> claims, String experiment, String why) {
    return claims.stream()
        .map(c -> new ClaimResult(c, experiment, Verdict.NOT_RUN, why, List.of()))
        .toList();
  }

  /** Every run has checkpoints, each with the judged pairing: what every judge reads. */
  private static void requireRuns(Evidence evidence) {
    List<Run> runs = evidence.summary().runs();
    if (runs == null || runs.isEmpty()) {
      throw new IllegalArgumentException("runs: the summary has no run");
    }
    for (int r = 0; r < runs.size(); r++) {
      List<Checkpoint> cps = runs.get(r).checkpoints();
      if (cps == null || cps.isEmpty()) {
        throw new IllegalArgumentException("runs[" + r + "].checkpoints: the run has none");
      }
      for (int k = 0; k < cps.size(); k++) {
        Map<String, PairingSummary> p = cps.get(k).pairings();
        if (p == null || p.get(PAIRING) == null) {
          throw new IllegalArgumentException(
              "runs[" + r + "].checkpoints[" + k + "].pairings: no " + PAIRING + " pairing");
        }
      }
    }
  }

  /** The checkpoints of a run after step 0, where the network has learned something. */
  static List<Checkpoint> afterStepZero(Run run) {
    return run.checkpoints().stream().filter(cp -> cp.step() > 0).toList();
  }

  /** A learning rate as the figures write it ({@code 0.001}). */
  static String lr(double lr) {
    return BigDecimal.valueOf(lr).stripTrailingZeros().toPlainString();
  }
}
