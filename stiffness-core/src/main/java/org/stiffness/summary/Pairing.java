package org.stiffness.summary;

/** Which two example sets a stiffness measurement pairs (the paper's train/val pairings). */
public enum Pairing {
  /** Training examples against training examples. */
  TRAIN_TRAIN("train-train"),
  /** Training examples against validation examples. */
  TRAIN_VAL("train-val"),
  /** Validation examples against validation examples. */
  VAL_VAL("val-val");

  private final String key;

  Pairing(String key) {
    this.key = key;
  }

  /** The key used in {@code summary.json} and file names. */
  public String key() {
    return key;
  }
}
