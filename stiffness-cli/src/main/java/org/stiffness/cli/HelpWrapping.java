package org.stiffness.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Usage help wrapped at whitespace only. Picocli wraps with {@link java.text.BreakIterator}'s line
 * rules, which also break after a dot, a comma or a hyphen inside a word, so help printed {@code
 * docs/engine.} on one line and {@code md} on the next. Here picocli renders every section without
 * wrapping (at {@link #UNWRAPPED} columns) and each line that is too long is broken at its last
 * space that fits, continuing under the column it started in.
 */
final class HelpWrapping {

  /** A width no help line reaches, so picocli itself never wraps. */
  static final int UNWRAPPED = 10_000;

  /**
   * An option or command row: its label, then two or more spaces, then the description column,
   * which starts within the first {@value #MAX_LABEL_COLUMN} columns.
   */
  private static final Pattern LABELLED_ROW = Pattern.compile("^(\\s*\\S.*?\\s{2,})\\S");

  private static final int MAX_LABEL_COLUMN = 45;

  /** Picocli's indentation of a description's wrapped lines under its first. */
  private static final int CONTINUATION_INDENT = 2;

  private HelpWrapping() {}

  /**
   * Makes {@code cli} and every subcommand it holds now wrap their usage help at {@code width}
   * columns, at whitespace only.
   */
  static void install(CommandLine cli, int width) {
    cli.setUsageHelpWidth(UNWRAPPED);
    Map<String, IHelpSectionRenderer> original = cli.getHelpSectionMap();
    IHelpSectionRenderer heading =
        original.get(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING);
    Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>();
    original.forEach(
        (key, section) -> {
          if (key.equals(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS)
              && heading != null) {
            // The synopsis continues the "Usage: " heading's line: wrapped together, printed apart.
            sections.put(
                key,
                help -> {
                  String prefix = heading.render(help);
                  return wrap(prefix + section.render(help), width).substring(prefix.length());
                });
          } else {
            sections.put(key, help -> wrap(section.render(help), width));
          }
        });
    cli.setHelpSectionMap(sections);
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getParent() == cli) {
        install(sub, width);
      }
    }
  }

  /** {@code text} with each line longer than {@code width} broken at spaces. */
  static String wrap(String text, int width) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    // -1 keeps the trailing empty string, so a section's final line break survives.
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        out.append(System.lineSeparator());
      }
      wrapLine(lines[i], width, out);
    }
    return out.toString();
  }

  private static void wrapLine(String line, int width, StringBuilder out) {
    int indent = -1;
    String rest = line;
    while (rest.length() > width) {
      if (indent < 0) {
        indent = continuationColumn(line);
      }
      int cut = rest.lastIndexOf(' ', width);
      int textStart = leadingSpaces(rest);
      if (cut <= textStart) {
        // One word wider than the room left: it stays whole, ending at the next space.
        cut = rest.indexOf(' ', Math.max(textStart, width));
        if (cut < 0) {
          break;
        }
      }
      out.append(rest.substring(0, cut).stripTrailing()).append(System.lineSeparator());
      rest = " ".repeat(indent) + rest.substring(cut).stripLeading();
    }
    out.append(rest);
  }

  /**
   * Where a wrapped line continues: under the synopsis's first option, under an option's or
   * command's description (indented as picocli indents it), or under a paragraph's first word.
   */
  private static int continuationColumn(String line) {
    if (line.startsWith("Usage: ")) {
      int options = line.indexOf(" [");
      int required = line.indexOf(" -");
      int first = options < 0 ? required : (required < 0 ? options : Math.min(options, required));
      return first < 0 ? "Usage: ".length() : first + 1;
    }
    Matcher row = LABELLED_ROW.matcher(line);
    if (row.find() && row.group(1).length() <= MAX_LABEL_COLUMN) {
      return row.group(1).length() + CONTINUATION_INDENT;
    }
    // A description that starts on its own line, under an option label too wide for the column.
    int lead = leadingSpaces(line);
    return lead > 0 ? lead + CONTINUATION_INDENT : 0;
  }

  private static int leadingSpaces(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }
}
