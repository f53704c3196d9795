package org.stiffness.experiments;

/**
 * Two sets measured against each other; the key is {@code <rows>-<cols>}.
 *
 * @param rows name of the row set
 * @param cols name of the column set (the same name for a symmetric X = X measurement)
 */
public record PairingSpec(String rows, String cols) {
  /** {@code train-val}, as in the summary and the file names. */
  public String key() {
    return rows + "-" + cols;
  }
}
