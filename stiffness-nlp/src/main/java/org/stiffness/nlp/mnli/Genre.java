package org.stiffness.nlp.mnli;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The ten MNLI genres with a stable index: the five "matched" genres of the training set first,
 * then the five "mismatched" genres that only occur in {@code dev_mismatched} (and test).
 */
public enum Genre {
  FICTION("fiction", true),
  GOVERNMENT("government", true),
  SLATE("slate", true),
  TELEPHONE("telephone", true),
  TRAVEL("travel", true),
  FACETOFACE("facetoface", false),
  LETTERS("letters", false),
  NINEELEVEN("nineeleven", false),
  OUP("oup", false),
  VERBATIM("verbatim", false);

  private final String fileName;
  private final boolean matched;

  Genre(String fileName, boolean matched) {
    this.fileName = fileName;
    this.matched = matched;
  }

  /** Genre index in {@code [0, 10)}: matched genres 0..4, mismatched 5..9. */
  public int index() {
    return ordinal();
  }

  /** The genre as written in the files' {@code genre} field, e.g. {@code "nineeleven"}. */
  public String fileName() {
    return fileName;
  }

  /** Whether the genre occurs in the training set (and so in {@code dev_matched}). */
  public boolean matched() {
    return matched;
  }

  /** The genre of index {@code index}. */
  public static Genre fromIndex(int index) {
    Genre[] all = values();
    if (index < 0 || index >= all.length) {
      throw new IllegalArgumentException("genre index " + index + " is outside [0, 10)");
    }
    return all[index];
  }

  /**
   * Parses a genre as written in the files (exact, lower case).
   *
   * @throws IllegalArgumentException naming the value and the ten accepted ones
   */
  public static Genre parse(String value) {
    for (Genre genre : values()) {
      if (genre.fileName.equals(value)) {
        return genre;
      }
    }
    throw new IllegalArgumentException(
        "unknown genre \""
            + value
            + "\", expected one of "
            + Arrays.stream(values()).map(Genre::fileName).collect(Collectors.joining(", ")));
  }
}
