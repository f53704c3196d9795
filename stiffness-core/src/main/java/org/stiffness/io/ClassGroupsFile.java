package org.stiffness.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.stiffness.stats.ClassGroups;

/**
 * Reads a grouping of the classes from a text file (UTF-8), one group per line:
 *
 * <pre>
 * # Fashion-MNIST by garment; lines starting with # and blank lines are skipped
 * tops: T-shirt/top, Pullover, Coat, Shirt
 * bottoms: 1
 * </pre>
 *
 * The group name is everything before the first {@code :}; after it come the group's classes,
 * separated by commas, each a class name exactly as the dataset names it or a class index {@code
 * 0..n_c-1} (a name that is also a number means the named class). Every class must be in exactly
 * one group. Errors name the file and line and say what was expected.
 */
public final class ClassGroupsFile {
  private static final int NAMES_SHOWN = 12;

  private ClassGroupsFile() {}

  /** The file's lines, or an error naming the first byte that is not UTF-8 (a binary file). */
  private static List<String> utf8Lines(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer text = CharBuffer.allocate(bytes.remaining());
    CoderResult result = decoder.decode(bytes, text, true);
    if (result.isError()) {
      throw new IOException(
          file
              + ": not UTF-8 text (byte "
              + bytes.position()
              + " is not): expected lines 'group name: class, class, ...'");
    }
    decoder.flush(text);
    String content = text.flip().toString();
    int nul = content.indexOf('\0');
    if (nul >= 0) {
      throw new IOException(
          file
              + ": not text (character "
              + nul
              + " is NUL): expected lines 'group name: class, class, ...'");
    }
    return content.lines().toList();
  }

  /**
   * @param file the grouping file; its file name becomes the grouping's {@link ClassGroups#name()}
   * @param classNames the dataset's class names in index order ({@code n_c} of them)
   * @throws IOException {@code FILE:LINE: problem} for an unknown class, a class in two groups, a
   *     group named twice or without a class, a line without {@code :}; {@code FILE: problem} for
   *     classes in no group and a file without groups
   */
  public static ClassGroups read(Path file, List<String> classNames) throws IOException {
    List<String> lines = utf8Lines(file);
    int n = classNames.size();
    List<String> names = new ArrayList<>();
    List<Integer> nameLines = new ArrayList<>();
    int[] groupOf = new int[n];
    int[] lineOf = new int[n];
    Arrays.fill(groupOf, -1);
    for (int k = 0; k < lines.size(); k++) {
      int line = k + 1;
      String text = lines.get(k).strip();
      if (k == 0 && text.startsWith("\uFEFF")) {
        text = text.substring(1).strip(); // a byte-order mark some editors write
      }
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      int colon = text.indexOf(':');
      if (colon < 0) {
        throw bad(file, line, "expected 'group name: class, class, ...', found '" + text + "'");
      }
      String group = text.substring(0, colon).strip();
      if (group.isEmpty()) {
        throw bad(file, line, "expected a group name before ':', found '" + text + "'");
      }
      int earlier = names.indexOf(group);
      if (earlier >= 0) {
        throw bad(
            file,
            line,
            "group '" + group + "' is named twice (first on line " + nameLines.get(earlier) + ")");
      }
      String list = text.substring(colon + 1).strip();
      if (list.isEmpty()) {
        throw bad(file, line, "group '" + group + "' has no class: expected classes after ':'");
      }
      int g = names.size();
      names.add(group);
      nameLines.add(line);
      for (String token : list.split(",", -1)) {
        String t = token.strip();
        if (t.isEmpty()) {
          throw bad(
              file, line, "an empty class in '" + list + "': expected a class between commas");
        }
        int c = classIndex(t, classNames);
        if (c < 0) {
          throw bad(
              file,
              line,
              "unknown class '"
                  + t
                  + "': expected a class name ("
                  + shown(classNames)
                  + ") or an index 0.."
                  + (n - 1));
        }
        if (groupOf[c] >= 0) {
          throw bad(
              file,
              line,
              "class "
                  + describe(c, classNames)
                  + " is already in group '"
                  + names.get(groupOf[c])
                  + "' (line "
                  + lineOf[c]
                  + "): every class must be in exactly one group");
        }
        groupOf[c] = g;
        lineOf[c] = line;
      }
    }
    if (names.isEmpty()) {
      throw new IOException(file + ": no group: expected lines 'group name: class, class, ...'");
    }
    List<String> missing = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      if (groupOf[c] < 0) {
        missing.add(describe(c, classNames));
      }
    }
    if (!missing.isEmpty()) {
      throw new IOException(
          file
              + ": "
              + (missing.size() == 1 ? "class " : "classes ")
              + String.join(", ", missing)
              + (missing.size() == 1 ? " is" : " are")
              + " in no group: every class must be in exactly one group");
    }
    return new ClassGroups(file.getFileName().toString(), names, groupOf);
  }

  private static int classIndex(String token, List<String> classNames) {
    int byName = classNames.indexOf(token);
    if (byName >= 0) {
      return byName;
    }
    if (token.chars().allMatch(Character::isDigit) && token.length() <= 9) {
      int c = Integer.parseInt(token);
      return c < classNames.size() ? c : -1;
    }
    return -1;
  }

  private static String describe(int c, List<String> classNames) {
    String name = classNames.get(c);
    return name.equals(Integer.toString(c)) ? "'" + name + "'" : "'" + name + "' (" + c + ")";
  }

  private static String shown(List<String> classNames) {
    List<String> first = classNames.subList(0, Math.min(NAMES_SHOWN, classNames.size()));
    String s = String.join(", ", first);
    return classNames.size() > NAMES_SHOWN
        ? s + ", ... " + (classNames.size() - NAMES_SHOWN) + " more"
        : s;
  }

  private static IOException bad(Path file, int line, String problem) {
    return new IOException(file + ":" + line + ": " + problem);
  }
}
