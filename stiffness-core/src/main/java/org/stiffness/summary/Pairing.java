package org.stiffness.summary;

/** Which two example sets a stiffness measurement pairs (the paper's train/val pairings). */
public enum Pairing {
  /** Training examples against training examples. */
  TRAIN_TRAIN("train", "train"),
  /** Training examples against validation examples. */
  TRAIN_VAL("train", "val"),
  /** Validation examples against validation examples. */
  VAL_VAL("val", "val");

  private final PairingSpec spec;

  Pairing(String rows, String cols) {
    this.spec = new PairingSpec(rows, cols);
  }

  /** The row and column sets. */
  public PairingSpec spec() {
    return spec;
  }

  /** The key used in {@code summary.json} and file names ({@code train-val}). */
  public String key() {
    return spec.key();
  }
}
