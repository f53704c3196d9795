package org.stiffness.nlp.mnli;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The ten MNLI genres with a stable index: the five "matched" genres of the training set first,
 * then the five "mismatched" genres that only occur in {@code dev_mismatched} (and test).
 */
public enum Genre {
  /** Fiction (matched). */
  FICTION("fiction", true),
  /** Government publications (matched). */
  GOVERNMENT("government", true),
  /** Slate magazine articles (matched). */
  SLATE("slate", true),
  /** Telephone conversations (Switchboard) (matched). */
  TELEPHONE("telephone", true),
  /** Travel guides (matched). */
  TRAVEL("travel", true),
  /** Face-to-face conversations (mismatched). */
  FACETOFACE("facetoface", false),
  /** Letters (mismatched). */
  LETTERS("letters", false),
  /** The 9/11 report (mismatched). */
  NINEELEVEN("nineeleven", false),
  /** Oxford University Press non-fiction (mismatched). */
  OUP("oup", false),
  /** Verbatim magazine articles (mismatched). */
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
