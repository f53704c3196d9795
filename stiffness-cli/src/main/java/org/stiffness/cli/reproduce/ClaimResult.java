package org.stiffness.cli.reproduce;

import java.util.List;

/**
 * One row of the reproduction table.
 *
 * @param claim the finding
 * @param experiment the experiment's name, also its directory under the output directory
 * @param verdict the outcome
 * @param figure the measured figure behind the verdict, or why it was not run or not measurable
 * @param plots paths, relative to the experiment directory, of the plots behind the row (the report
 *     writes links only to those that exist)
 */
public record ClaimResult(
    Claim claim, String experiment, Verdict verdict, String figure, List<String> plots) {
  /** Keeps an unmodifiable copy of the plot paths. */
  public ClaimResult {
    plots = List.copyOf(plots);
  }
}
