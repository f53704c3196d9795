package org.stiffness.cli.reproduce;

/**
 * The paper's findings that {@code stiffness reproduce} checks, each with the paper's statement in
 * our words (from Fort et al., arXiv:1901.09491, v3). How each is measured, and its threshold, is
 * in {@link Claims} and docs/reproduction.md.
 */
public enum Claim {
  /** Within-class stiffness exceeds between-class stiffness. */
  WITHIN_OVER_BETWEEN(
      "within-vs-between",
      "Within-class stiffness exceeds between-class stiffness",
      "Gradients of examples of one class align more than those of different classes: a step on"
          + " one example helps others of its class more than examples of other classes."),
  /** Stiffness decays with input distance (within-class pairs). */
  DISTANCE_DECAY_WITHIN(
      "distance-decay/within-class",
      "Stiffness decays with input distance (within-class pairs)",
      "Stiffness is positive for nearby inputs and falls as the input distance grows."),
  /** Stiffness decays with input distance (all pairs). */
  DISTANCE_DECAY_ALL_PAIRS(
      "distance-decay/all-pairs",
      "Stiffness decays with input distance (all pairs)",
      "The same over all pairs, which the paper also plots."),
  /** Critical length xi shrinks during training (within-class xi). */
  XI_TRAINING_WITHIN(
      "xi-vs-training/within-class",
      "Critical length xi shrinks during training (within-class xi)",
      "The distance at which within-class stiffness crosses zero decreases with training."),
  /** Critical length xi shrinks during training (all-pairs xi). */
  XI_TRAINING_ALL_PAIRS(
      "xi-vs-training/all-pairs",
      "Critical length xi shrinks during training (all-pairs xi)",
      "The same, with xi fitted on all pairs (our second definition; the paper names none)."),
  /** Higher learning rate, smaller xi (within-class xi). */
  XI_LR_WITHIN(
      "xi-vs-lr/within-class",
      "Higher learning rate, smaller xi (within-class xi)",
      "The higher the learning rate, the smaller the critical length (v3; v1 said the opposite)."),
  /** Higher learning rate, smaller xi (all-pairs xi). */
  XI_LR_ALL_PAIRS(
      "xi-vs-lr/all-pairs",
      "Higher learning rate, smaller xi (all-pairs xi)",
      "The same, with xi fitted on all pairs."),
  /** Stiffness knows the class groups. */
  CLASS_GROUPS(
      "class-groups",
      "Stiffness knows the class groups",
      "Classes of one superclass are stiffer with each other than with classes of other"
          + " superclasses (CIFAR-100's 5x5 diagonal blocks)."),
  /**
   * Within-class stiffness falls when the model overfits (the paper says between-class stiffness
   * falls too; only within-class is tested).
   */
  GENERALISATION(
      "generalisation",
      "Within-class stiffness falls when the model overfits",
      "The paper: when the model overfits, within- and between-class stiffness fall back towards"
          + " 0, so stiffness tracks generalisation. Tested here: within-class cosine stiffness"
          + " falls after the least validation loss; between-class is measured, not tested.");

  private final String id;
  private final String title;
  private final String statement;

  Claim(String id, String title, String statement) {
    this.id = id;
    this.title = title;
    this.statement = statement;
  }

  /** Stable key in reproduction.json. */
  public String id() {
    return id;
  }

  /** Short name, the table's first column. */
  public String title() {
    return title;
  }

  /** The paper's statement in our words. */
  public String statement() {
    return statement;
  }
}
