package org.stiffness.report;

/**
 * The sections of {@code report.html}, in the order they are shown, each with the sentences that
 * open it: what its figures show and what a result like the paper's looks like (wording from
 * docs/paper.md). The headline, stiffness over training, comes first; the per-class detail last.
 */
enum ReportSection {
  /** Loss and accuracy per run, then within- and between-class stiffness per pairing and run. */
  TRAINING(
      "Stiffness over training",
      "Within-class stiffness (pairs of examples of the same class) and between-class stiffness"
          + " (pairs of different classes) at each checkpoint, after the run's loss and accuracy,"
          + " on a logarithmic step axis with step 0 at the left. In the paper, within-class"
          + " stiffness is high early, between-class stiffness rises as shared features are"
          + " learned, and both fall back towards 0 once the model overfits (validation loss"
          + " rising). Within a class, sign stiffness (solid) often sits at 1.0 and ranks nothing;"
          + " cosine stiffness (dashed) shows more."),
  /** Stiffness against the cosine distance of the inputs. */
  DISTANCE(
      "Stiffness vs input distance",
      "Mean stiffness of pairs binned by the cosine distance of their inputs, 1 - cos (0: inputs"
          + " pointing the same way, 1: orthogonal), over all pairs (solid) and within-class pairs"
          + " (dashed) at the last checkpoint. The paper finds stiffness positive for nearby inputs"
          + " and decaying with distance; where the within-class curve crosses 0 is the critical"
          + " length xi. Bands are one standard error of a bin's mean (for cosine stiffness an"
          + " upper bound); bins with fewer than "
          + DistancePlot.MIN_BIN_PAIRS
          + " pairs are left out, and the bottom panel shows every bin's pair count."),
  /** xi over training. */
  CRITICAL_LENGTH(
      "Critical length",
      "The critical length xi at each checkpoint (solid: within-class pairs, the paper's xi;"
          + " dashed: all pairs), with its bootstrap interval, on the logarithmic step axis. The"
          + " paper finds xi shrinking during training, and smaller for higher learning rates. A"
          + " checkpoint whose fitted line does not cross 0 inside the measured distances has no"
          + " xi and no point; the legend counts them."),
  /** Class stiffness heatmaps. */
  CLASS(
      "Class stiffness",
      "Cell (a, b) is the mean stiffness of pairs whose first example is of class a and second of"
          + " class b, self-pairs excluded, at the last checkpoint: red for +1 (a step on one"
          + " example helps the other), blue for -1 (it hurts), white for 0. A result like the"
          + " paper's is a red diagonal (within-class) over a paler off-diagonal (between-class);"
          + " grey cells have no pairs."),
  /** Class groups (superclasses) heatmaps. */
  CLASS_GROUPS(
      "Stiffness by class group",
      "The classes gathered into groups (CIFAR-100: its 20 superclasses): cell (g, h) is the mean"
          + " stiffness of pairs of different classes, the first in group g, the second in group"
          + " h. On CIFAR-100 the paper sees the superclasses as blocks on the diagonal: a"
          + " diagonal redder than the rest means stiffness knows the groups. Grey cells have no"
          + " pairs (a group of one class has no within-group pair)."),
  /** Heatmaps of another grouping of the examples (MNLI: genre). */
  GROUPING(
      "Stiffness by ",
      "The examples grouped by something other than their class: cell (g, h) is the mean"
          + " stiffness of pairs whose first example is in group g and second in group h,"
          + " self-pairs excluded. Grey cells have no pairs.");

  private final String title;
  private final String intro;

  ReportSection(String title, String intro) {
    this.title = title;
    this.intro = intro;
  }

  /** The section's heading ({@link #GROUPING}: its prefix, followed by the grouping's name). */
  String title() {
    return title;
  }

  /** The two or three sentences that open the section. */
  String intro() {
    return intro;
  }

  /** The heading of {@link #GROUPING} for one grouping, e.g. {@code Stiffness by genre}. */
  static String grouping(String name) {
    return GROUPING.title + name;
  }

  /** The section a heading belongs to; {@link #GROUPING} for any heading it does not know. */
  static ReportSection of(String heading) {
    for (ReportSection s : values()) {
      if (s != GROUPING && s.title.equals(heading)) {
        return s;
      }
    }
    return GROUPING;
  }
}
