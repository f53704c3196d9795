package org.stiffness.cli.reproduce;

/**
 * The outcome of one claim on one experiment; each is a measured comparison, see {@link Claims}.
 */
public enum Verdict {
  /** The comparison the claim states passed its threshold. */
  HOLDS("holds"),
  /** It was measured and did not pass (including "no significant difference"). */
  DOES_NOT_HOLD("does not hold"),
  /**
   * A critical-length claim whose xi has no zero crossing where it is compared: its own outcome,
   * not a failure of the claim, because the fit is never extrapolated (docs/statistics.md).
   */
  NO_CROSSING("no crossing"),
  /** The experiment ran but lacks what the comparison needs (e.g. it never overfitted). */
  NOT_MEASURABLE("not measurable"),
  /** The experiment did not run (data absent, or the run failed). */
  NOT_RUN("not run");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** As written in the table and the JSON. */
  public String label() {
    return label;
  }
}
