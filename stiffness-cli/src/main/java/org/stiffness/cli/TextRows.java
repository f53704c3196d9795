package org.stiffness.cli;

import java.util.Locale;

/** The rows of the CLI's text reports: a name padded to one column, then its value. */
final class TextRows {
  private TextRows() {}

  /** Appends {@code " name value"} and a line break. */
  static void row(StringBuilder s, String name, String value) {
    s.append(String.format(Locale.ROOT, "  %-15s %s%n", name, value));
  }

  /** {@code value}, or "-" where it is empty (an empty list of layers). */
  static String orDash(String value) {
    return value.isEmpty() ? "-" : value;
  }
}
