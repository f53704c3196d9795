package org.stiffness.cli.reproduce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The order in which the reproduction's files list their rows. */
final class ClaimOrder {
  private ClaimOrder() {}

  /**
   * Claim order first, so that each claim's experiments sit together, then the experiments' order;
   * stable for the rest.
   */
  static List<ClaimResult> of(
      List<ReproductionReport.Experiment> experiments, List<ClaimResult> rows) {
    List<ClaimResult> ordered = new ArrayList<>(rows);
    List<String> names = experiments.stream().map(ReproductionReport.Experiment::name).toList();
    ordered.sort(
        Comparator.comparing((ClaimResult r) -> r.claim().ordinal())
            .thenComparing(r -> names.indexOf(r.experiment())));
    return ordered;
  }
}
