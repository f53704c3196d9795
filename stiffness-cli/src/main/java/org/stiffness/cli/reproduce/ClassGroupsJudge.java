package org.stiffness.cli.reproduce;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stiffness.report.Figure;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * {@link Claim#CLASS_GROUPS}: the mean cell of two different classes of one group exceeds the mean
 * cell of classes of different groups by more than {@value Claims#SE_MULTIPLE} standard errors, at
 * {@value Claims#MIN_FRACTION} of the checkpoints after step 0 of every learning rate. Not run
 * where the summary has no grouping of the classes.
 */
final class ClassGroupsJudge implements ClaimJudge {
  @Override
  public Claim claim() {
    return Claim.CLASS_GROUPS;
  }

  @Override
  public ClaimResult judge(Evidence e) throws IOException {
    PairingSummary first = Evidence.at(e.runs().get(0).checkpoints().get(0));
    if (first.classGroups() == null) {
      return e.result(
          claim(),
          Verdict.NOT_RUN,
          "no grouping of this dataset's classes (fashion-mnist and cifar100 have one)",
          List.of());
    }
    List<Integer> groupOf = first.classGroups().groupOfClass();
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
      int higher = 0;
      int lower = 0;
      CellDifference last = null;
      for (Checkpoint cp : trained) {
        double[][] m = e.classCos(cp);
        if (m.length != groupOf.size()) {
          throw new IllegalArgumentException(
              Evidence.at(cp).classCosMatrix()
                  + ": "
                  + m.length
                  + " classes, but class_groups.group_of_class has "
                  + groupOf.size());
        }
        last =
            CellDifference.unpaired(
                ClassCells.offDiagonal(m, groupOf, true),
                ClassCells.offDiagonal(m, groupOf, false));
        higher += last.exceeds() ? 1 : 0;
        lower += last.fallsShort() ? 1 : 0;
      }
      all &= higher >= Claims.MIN_FRACTION * trained.size();
      parts.add(
          String.format(
              Locale.ROOT,
              "lr %s: within-group higher at %d/%d checkpoints, lower at %d; step %d: %s",
              Claims.lr(run.lr()),
              higher,
              trained.size(),
              lower,
              trained.get(trained.size() - 1).step(),
              last.describe("within-group", "across-group")));
    }
    return e.result(
        claim(),
        all ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD,
        "groups " + first.classGroups().name() + "; " + String.join("; ", parts),
        e.plots(Figure.Kind.CLASS_GROUPS, Figure.Kind.CLASS));
  }
}
