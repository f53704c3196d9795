package org.stiffness.cli.reproduce;

import static org.stiffness.cli.reproduce.ClassCells.diagonal;
import static org.stiffness.cli.reproduce.ClassCells.mean;
import static org.stiffness.cli.reproduce.ClassCells.offDiagonal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.stiffness.report.Figure;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * {@link Claim#GENERALISATION}, on an experiment trained until it overfits: within-class stiffness
 * falls, by more than {@value Claims#SE_MULTIPLE} standard errors of the per-class change, from the
 * checkpoint of least validation loss to the last checkpoint. The last validation loss must be at
 * least {@value Claims#MIN_OVERFIT_RISE} above the least, else the run did not overfit and the
 * claim is not measurable.
 */
final class GeneralisationJudge implements ClaimJudge {
  @Override
  public Claim claim() {
    return Claim.GENERALISATION;
  }

  @Override
  public ClaimResult judge(Evidence e) throws IOException {
    List<String> parts = new ArrayList<>();
    boolean notMeasurable = false;
    boolean all = true;
    for (Run run : e.runs()) {
      List<Checkpoint> cps =
          run.checkpoints().stream().filter(cp -> Double.isFinite(cp.valLoss())).toList();
      if (cps.size() < 3) {
        notMeasurable = true;
        parts.add(
            "lr " + Claims.lr(run.lr()) + ": fewer than 3 checkpoints with a validation loss");
        continue;
      }
      Checkpoint best = cps.stream().min(Comparator.comparingDouble(Checkpoint::valLoss)).get();
      Checkpoint last = cps.get(cps.size() - 1);
      double rise = last.valLoss() / best.valLoss() - 1;
      String losses =
          String.format(
              Locale.ROOT,
              "lr %s: val loss least %.3f at step %d (epoch %.1f), %.3f at step %d (%+.0f %%)",
              Claims.lr(run.lr()),
              best.valLoss(),
              best.step(),
              best.epoch(),
              last.valLoss(),
              last.step(),
              100 * rise);
      if (best == last || !(rise >= Claims.MIN_OVERFIT_RISE)) {
        notMeasurable = true;
        parts.add(
            losses
                + String.format(
                    Locale.ROOT,
                    ": no overfitting (the last val loss is not %.0f %% above the least)",
                    100 * Claims.MIN_OVERFIT_RISE));
        continue;
      }
      double[][] start = e.classCos(cps.get(0));
      double[][] atBest = e.classCos(best);
      double[][] atLast = e.classCos(last);
      CellDifference before = CellDifference.paired(diagonal(atBest), diagonal(start));
      CellDifference after = CellDifference.paired(diagonal(atLast), diagonal(atBest));
      all &= after.fallsShort();
      parts.add(
          String.format(
              Locale.ROOT,
              "%s; within-class cos %.3f (step %d) -> %.3f (least val loss) -> %.3f (last):"
                  + " change before %+.3f, after %+.3f +- %.3f; between-class %.3f -> %.3f -> %.3f",
              losses,
              mean(diagonal(start)),
              cps.get(0).step(),
              mean(diagonal(atBest)),
              mean(diagonal(atLast)),
              before.margin(),
              after.margin(),
              after.se(),
              mean(offDiagonal(start)),
              mean(offDiagonal(atBest)),
              mean(offDiagonal(atLast))));
    }
    Verdict v =
        notMeasurable ? Verdict.NOT_MEASURABLE : all ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD;
    // Whether it overfitted is read off the validation loss, drawn once per run.
    return e.result(
        claim(), v, String.join("; ", parts), e.plots(Figure.Kind.TRAINING, Figure.Kind.LOSS));
  }
}
