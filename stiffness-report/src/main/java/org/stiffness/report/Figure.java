package org.stiffness.report;

import java.nio.file.Path;
import org.stiffness.stats.StiffnessMeasure;

/**
 * A written plot, with what it shows, so that a reader of {@link Plots#writeAll}'s list (the
 * report, the reproduction's claims) picks figures by what they show rather than by file name.
 *
 * @param file the PNG
 * @param section the report section it belongs to (e.g. "Class stiffness")
 * @param caption one line saying what it shows
 * @param kind what it draws
 * @param pairing the pairing it draws ({@code train-val}), or null for a figure of the run alone
 *     (loss and accuracy)
 * @param measure the stiffness measure a heatmap colours, or null for a figure of both or neither
 */
public record Figure(
    Path file,
    String section,
    String caption,
    Figure.Kind kind,
    String pairing,
    StiffnessMeasure measure) {

  /** What a figure draws; line plots of one run are drawn once per run, in the runs' order. */
  public enum Kind {
    /** Loss and accuracy over training, one per run. */
    LOSS,
    /** Within- and between-class stiffness over training, one per pairing and run. */
    TRAINING,
    /**
     * Gradient coherence and confusion over training, one per run for each pairing of a set with
     * itself.
     */
    COHERENCE,
    /** Stiffness against input distance at the last checkpoint, one per pairing. */
    DISTANCE,
    /** The critical length xi over training, one per pairing. */
    CRITICAL_LENGTH,
    /** A class stiffness heatmap, one per pairing, run and measure. */
    CLASS,
    /** A heatmap of the class groups, one per pairing, run and measure. */
    CLASS_GROUPS,
    /** A heatmap of another grouping of the examples, one per grouping, pairing, run, measure. */
    GROUPING
  }
}
