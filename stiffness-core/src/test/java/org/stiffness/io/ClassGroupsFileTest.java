package org.stiffness.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stiffness.stats.ClassGroups;

/** The grouping file format: what it accepts, and an error naming file and line for the rest. */
class ClassGroupsFileTest {
  private static final List<String> NAMES =
      List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "7");

  @TempDir Path temp;

  private Path write(String text) throws IOException {
    Path f = temp.resolve("groups.txt");
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void namesIndicesCommentsAndBlankLines() throws IOException {
    Path f =
        write(
            "\uFEFF# garments\n"
                + "\n"
                + "tops :  T-shirt/top, 2 ,Coat\n"
                + "  # a comment between groups\n"
                + "other: Trouser, Dress, 5\n"
                + "last: 6\n");
    ClassGroups g = ClassGroupsFile.read(f, NAMES);
    assertEquals("groups.txt", g.name());
    assertEquals(List.of("tops", "other", "last"), g.groupNames());
    assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1, 2}, g.groupOf());
  }

  @Test
  void aNameThatIsANumberMeansTheNamedClass() throws IOException {
    // Class 6 is called "7", so "7" is class 6 (not the out-of-range index 7).
    ClassGroups g = ClassGroupsFile.read(write("a: 0, 1, 2, 3, 4, 5\nb: 7\n"), NAMES);
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1}, g.groupOf());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a: 0, 1, 2, 3, 4, 5, 6\\nb: Boot | groups.txt:2: unknown class 'Boot': expected a class"
            + " name (T-shirt/top, Trouser",
        "a: 0, 1, 2, 3\\nb: Coat, Pullover, 5, 6 | groups.txt:2: class 'Pullover' (2) is already in"
            + " group 'a' (line 1)",
        "a: 0, 1, 2, 3, 4\\nb: 5 | groups.txt: class '7' (6) is in no group",
        "a: 0, 1, 2\\nb: 5 | groups.txt: classes 'Dress' (3), 'Coat' (4), '7' (6) are in no group",
        "a: 0, 1, 2, 3\\nb 4, 5, 6 | groups.txt:2: expected 'group name: class, class, ...', found"
            + " 'b 4, 5, 6'",
        "a: 0, 1, 2\\na: 3, 4, 5, 6 | groups.txt:2: group 'a' is named twice (first on line 1)",
        "a: 0, 1, 2, 3, 4, 5, 6\\nb: | groups.txt:2: group 'b' has no class",
        "a: 0, 1,, 2 | groups.txt:1: an empty class in '0, 1,, 2'",
        ": 0, 1, 2, 3, 4, 5, 6 | groups.txt:1: expected a group name before ':'",
        "a: 0, 1, 2, 3, 4, 5, 8 | groups.txt:1: unknown class '8'",
        "# nothing but a comment | groups.txt: no group",
      })
  void badFilesAreRefusedNamingFileLineAndWhatWasExpected(String text, String expected)
      throws IOException {
    Path f = write(text.replace("\\n", "\n"));
    IOException e = assertThrows(IOException.class, () -> ClassGroupsFile.read(f, NAMES));
    String message = e.getMessage().replace(temp.toString() + "/", "");
    assertTrue(message.startsWith(expected), message);
  }

  @Test
  void aBinaryFileIsNamedWithItsFirstByteThatIsNotUtf8() throws IOException {
    // Java's own decoder says only "Input length = 1".
    Path f = temp.resolve("groups.bin");
    Files.write(f, new byte[] {'a', ':', ' ', '0', '\n', (byte) 0xc3, 0x28});
    IOException e = assertThrows(IOException.class, () -> ClassGroupsFile.read(f, NAMES));
    assertEquals(
        f + ": not UTF-8 text (byte 5 is not): expected lines 'group name: class, class, ...'",
        e.getMessage());
  }

  @Test
  void aFileOfNulBytesIsNotText() throws IOException {
    Path f = temp.resolve("zeros.bin");
    Files.write(f, new byte[16]);
    IOException e = assertThrows(IOException.class, () -> ClassGroupsFile.read(f, NAMES));
    assertTrue(e.getMessage().startsWith(f + ": not text (character 0 is NUL)"), e.getMessage());
  }
}
