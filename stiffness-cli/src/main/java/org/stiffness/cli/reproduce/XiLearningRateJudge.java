package org.stiffness.cli.reproduce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import org.stiffness.report.Figure;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * {@link Claim#XI_LR_WITHIN} and {@link Claim#XI_LR_ALL_PAIRS}: at the last step both reached, the
 * highest learning rate's xi interval lies wholly below the lowest rate's (the paper's v3; wholly
 * above is what its v1 said).
 */
final class XiLearningRateJudge implements ClaimJudge {
  private final Claim claim;
  private final Function<PairingSummary, CriticalLengthSummary> definition;

  /**
   * @param definition the xi the claim is about: within-class or all pairs
   */
  XiLearningRateJudge(Claim claim, Function<PairingSummary, CriticalLengthSummary> definition) {
    this.claim = claim;
    this.definition = definition;
  }

  @Override
  public Claim claim() {
    return claim;
  }

  @Override
  public ClaimResult judge(Evidence e) {
    List<Run> runs = e.runs().stream().sorted(Comparator.comparingDouble(Run::lr)).toList();
    Run slow = runs.get(0);
    Run fast = runs.get(runs.size() - 1);
    List<String> plots = e.plots(Figure.Kind.CRITICAL_LENGTH);
    if (slow.lr() == fast.lr()) {
      return e.result(claim, Verdict.NOT_MEASURABLE, "a single learning rate", plots);
    }
    // Compared at one step, the last one both runs reached (a diverged run stops early).
    TreeSet<Long> common = XiReading.steps(slow);
    common.retainAll(XiReading.steps(fast));
    if (common.isEmpty()) {
      return e.result(claim, Verdict.NOT_MEASURABLE, "the runs share no measured step", plots);
    }
    long step = common.last();
    List<String> parts = new ArrayList<>();
    for (Run run : runs) {
      run.checkpoints().stream()
          .filter(cp -> cp.step() == step)
          .findFirst()
          .ifPresent(
              cp ->
                  parts.add(
                      "lr "
                          + Claims.lr(run.lr())
                          + ": "
                          + XiReading.describe(XiReading.xi(definition, cp))));
    }
    CriticalLengthSummary a = XiReading.xi(definition, checkpointAt(slow, step));
    CriticalLengthSummary b = XiReading.xi(definition, checkpointAt(fast, step));
    String figure = "step " + step + ": " + String.join(", ", parts);
    if (a.value() == null || b.value() == null) {
      return e.result(claim, Verdict.NO_CROSSING, figure, plots);
    }
    if (XiReading.below(b, a)) {
      return e.result(claim, Verdict.HOLDS, figure + " (smaller at the higher rate)", plots);
    }
    String why =
        XiReading.above(b, a) ? "larger at the higher rate, as v1 said" : "the intervals overlap";
    return e.result(claim, Verdict.DOES_NOT_HOLD, figure + " (" + why + ")", plots);
  }

  private static Checkpoint checkpointAt(Run run, long step) {
    return run.checkpoints().stream().filter(cp -> cp.step() == step).findFirst().orElseThrow();
  }
}
