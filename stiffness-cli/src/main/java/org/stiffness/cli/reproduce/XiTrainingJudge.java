package org.stiffness.cli.reproduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.stiffness.report.Figure;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * {@link Claim#XI_TRAINING_WITHIN} and {@link Claim#XI_TRAINING_ALL_PAIRS}: xi's interval at the
 * last checkpoint lies wholly below its interval at step 0, for every learning rate.
 */
final class XiTrainingJudge implements ClaimJudge {
  private final Claim claim;
  private final Function<PairingSummary, CriticalLengthSummary> definition;

  /**
   * @param definition the xi the claim is about: within-class or all pairs
   */
  XiTrainingJudge(Claim claim, Function<PairingSummary, CriticalLengthSummary> definition) {
    this.claim = claim;
    this.definition = definition;
  }

  @Override
  public Claim claim() {
    return claim;
  }

  @Override
  public ClaimResult judge(Evidence e) {
    List<String> parts = new ArrayList<>();
    boolean noCrossing = false;
    boolean allShrink = true;
    for (Run run : e.runs()) {
      List<Checkpoint> cps = run.checkpoints();
      if (cps.size() < 2) {
        return e.result(
            claim,
            Verdict.NOT_MEASURABLE,
            "lr " + Claims.lr(run.lr()) + " has a single checkpoint",
            List.of());
      }
      Checkpoint first = cps.get(0);
      Checkpoint last = cps.get(cps.size() - 1);
      CriticalLengthSummary a = XiReading.xi(definition, first);
      CriticalLengthSummary b = XiReading.xi(definition, last);
      long withCrossing =
          cps.stream().filter(cp -> XiReading.xi(definition, cp).value() != null).count();
      String head =
          String.format(
              Locale.ROOT,
              "lr %s (crossing at %d/%d checkpoints): ",
              Claims.lr(run.lr()),
              withCrossing,
              cps.size());
      if (a.value() == null || b.value() == null) {
        noCrossing = true;
        CriticalLengthSummary missing = a.value() == null ? a : b;
        parts.add(
            head
                + "no crossing at step "
                + (a.value() == null ? first : last).step()
                + " ("
                + XiReading.shortReason(missing.reason())
                + ")");
        continue;
      }
      String change;
      if (XiReading.below(b, a)) {
        change = "smaller";
      } else {
        allShrink = false;
        change = XiReading.above(b, a) ? "larger" : "intervals overlap";
      }
      parts.add(
          head
              + XiReading.describe(a)
              + " at step "
              + first.step()
              + " -> "
              + XiReading.describe(b)
              + " at step "
              + last.step()
              + " ("
              + change
              + ")");
    }
    // A run that measurably fails to shrink decides against the claim even when another run has
    // no crossing; "no crossing" is the outcome only when no run contradicts the claim.
    Verdict v =
        !allShrink ? Verdict.DOES_NOT_HOLD : noCrossing ? Verdict.NO_CROSSING : Verdict.HOLDS;
    return e.result(claim, v, String.join("; ", parts), e.plots(Figure.Kind.CRITICAL_LENGTH));
  }
}
