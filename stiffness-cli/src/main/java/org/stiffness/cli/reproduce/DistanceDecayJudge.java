package org.stiffness.cli.reproduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.stiffness.report.Figure;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.DistanceBin;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * {@link Claim#DISTANCE_DECAY_WITHIN} and {@link Claim#DISTANCE_DECAY_ALL_PAIRS}: Spearman's rank
 * correlation of the binned cosine stiffness with the bin centre, at each learning rate's last
 * checkpoint over the bins of at least {@value Claims#MIN_BIN_PAIRS} pairs, is at most {@value
 * Claims#MAX_DECAY_RHO}.
 */
final class DistanceDecayJudge implements ClaimJudge {
  private final Claim claim;
  private final Function<PairingSummary, List<DistanceBin>> profile;

  /**
   * @param profile the distance profile the claim is about: within-class pairs or all pairs
   */
  DistanceDecayJudge(Claim claim, Function<PairingSummary, List<DistanceBin>> profile) {
    this.claim = claim;
    this.profile = profile;
  }

  @Override
  public Claim claim() {
    return claim;
  }

  @Override
  public ClaimResult judge(Evidence e) {
    List<String> parts = new ArrayList<>();
    List<String> plots = e.plots(Figure.Kind.DISTANCE);
    boolean all = true;
    for (Run run : e.runs()) {
      Checkpoint last = run.checkpoints().get(run.checkpoints().size() - 1);
      List<DistanceBin> bins = profile.apply(Evidence.at(last));
      List<DistanceBin> used =
          bins == null
              ? List.of()
              : bins.stream()
                  .filter(b -> b.pairs() >= Claims.MIN_BIN_PAIRS && b.meanCos() != null)
                  .toList();
      if (used.size() < 3) {
        return e.result(
            claim,
            Verdict.NOT_MEASURABLE,
            String.format(
                Locale.ROOT,
                "lr %s, step %d: %d bins of at least %d pairs; 3 are needed",
                Claims.lr(run.lr()),
                last.step(),
                used.size(),
                Claims.MIN_BIN_PAIRS),
            plots);
      }
      double rho =
          RankCorrelation.spearman(
              used.stream().mapToDouble(DistanceDecayJudge::centre).toArray(),
              used.stream().mapToDouble(DistanceBin::meanCos).toArray());
      all &= rho <= Claims.MAX_DECAY_RHO;
      DistanceBin nearest = used.get(0);
      DistanceBin farthest = used.get(used.size() - 1);
      parts.add(
          String.format(
              Locale.ROOT,
              "lr %s, step %d: rank correlation with distance %+.2f (%d bins, cos %+.3f at d = %.2f"
                  + " to %+.3f at d = %.2f)",
              Claims.lr(run.lr()),
              last.step(),
              rho,
              used.size(),
              nearest.meanCos(),
              centre(nearest),
              farthest.meanCos(),
              centre(farthest)));
    }
    return e.result(
        claim, all ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD, String.join("; ", parts), plots);
  }

  private static double centre(DistanceBin b) {
    return (b.lo() + b.hi()) / 2;
  }
}
