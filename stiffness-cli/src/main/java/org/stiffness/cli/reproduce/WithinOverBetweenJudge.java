package org.stiffness.cli.reproduce;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stiffness.report.Figure;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * {@link Claim#WITHIN_OVER_BETWEEN}: the mean diagonal cell of the cosine class matrix exceeds the
 * mean off-diagonal cell by more than {@value Claims#SE_MULTIPLE} standard errors, at {@value
 * Claims#MIN_FRACTION} of the checkpoints after step 0 of every learning rate.
 */
final class WithinOverBetweenJudge implements ClaimJudge {
  @Override
  public Claim claim() {
    return Claim.WITHIN_OVER_BETWEEN;
  }

  @Override
  public ClaimResult judge(Evidence e) throws IOException {
    List<String> parts = new ArrayList<>();
    boolean all = true;
    for (Run run : e.runs()) {
      List<Checkpoint> trained = Claims.afterStepZero(run);
      if (trained.isEmpty()) {
        return e.result(
            claim(),
            Verdict.NOT_MEASURABLE,
            "lr " + Claims.lr(run.lr()) + " has no checkpoint after step 0",
            List.of());
      }
      int exceeds = 0;
      CellDifference last = null;
      for (Checkpoint cp : trained) {
        double[][] m = e.classCos(cp);
        last = CellDifference.unpaired(ClassCells.diagonal(m), ClassCells.offDiagonal(m));
        exceeds += last.exceeds() ? 1 : 0;
      }
      all &= exceeds >= Claims.MIN_FRACTION * trained.size();
      parts.add(
          String.format(
              Locale.ROOT,
              "lr %s: within > between at %d/%d checkpoints; step %d: %s",
              Claims.lr(run.lr()),
              exceeds,
              trained.size(),
              trained.get(trained.size() - 1).step(),
              last.describe("within", "between")));
    }
    return e.result(
        claim(),
        all ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD,
        String.join("; ", parts),
        e.plots(Figure.Kind.TRAINING, Figure.Kind.CLASS));
  }
}
