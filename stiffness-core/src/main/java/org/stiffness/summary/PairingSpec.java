package org.stiffness.summary;

import java.util.Objects;

/**
 * Two sets measured against each other, named by the key {@code <rows>-<cols>} ({@code train-val})
 * in {@code summary.json}, in file names and in tile directories. This record is the one place that
 * joins and splits keys: a set name may not contain the separator {@code -}, so every key splits
 * back into the names it was made of.
 *
 * @param rows name of the row set
 * @param cols name of the column set (the same name for a symmetric X = X measurement)
 */
public record PairingSpec(String rows, String cols) {
  /** Joins the row and column set names in a key. */
  public static final String SEPARATOR = "-";

  /**
   * @throws IllegalArgumentException for an empty set name or one containing {@value #SEPARATOR}
   */
  public PairingSpec {
    requireSetName(rows, "rows");
    requireSetName(cols, "cols");
  }

  private static void requireSetName(String name, String side) {
    Objects.requireNonNull(name, side);
    if (name.isEmpty() || name.contains(SEPARATOR)) {
      throw new IllegalArgumentException(
          "set name '"
              + name
              + "' cannot be paired: set names are non-empty and have no '"
              + SEPARATOR
              + "', which separates the two sets in a pairing key (train-val)");
    }
  }

  /**
   * The pairing of a key made by {@link #key()}.
   *
   * @throws IllegalArgumentException unless {@code key} is two set names joined by one {@value
   *     #SEPARATOR}
   */
  public static PairingSpec parse(String key) {
    int at = key.indexOf(SEPARATOR);
    if (at < 0 || key.indexOf(SEPARATOR, at + 1) >= 0) {
      throw new IllegalArgumentException(
          "pairing '" + key + "' is not two set names joined by '" + SEPARATOR + "' (train-val)");
    }
    return new PairingSpec(key.substring(0, at), key.substring(at + SEPARATOR.length()));
  }

  /** {@code train-val}, as in the summary and the file names. */
  public String key() {
    return rows + SEPARATOR + cols;
  }

  /** Whether the rows and the columns are the same set (X = X): the Gram matrix is symmetric. */
  public boolean symmetric() {
    return rows.equals(cols);
  }
}
