package org.stiffness.summary;

/** Which two example sets a stiffness measurement pairs (the paper's train/val pairings). */
public enum Pairing {
  TRAIN_TRAIN("train-train"),
  TRAIN_VAL("train-val"),
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
