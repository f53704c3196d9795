package org.stiffness.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonRecordsTest {
  @TempDir Path dir;

  /** A record of each kind of component the readers use. */
  record Sample(String name, double seconds, int count) {}

  private String error(String json) throws IOException {
    Path file = dir.resolve("sample.json");
    Files.writeString(file, json);
    return assertThrows(IOException.class, () -> JsonRecords.read(file, Sample.class)).getMessage();
  }

  @Test
  void aCompleteObjectIsReadAndUnknownFieldsAreIgnored() throws IOException {
    Path file = dir.resolve("sample.json");
    Files.writeString(file, "{\"name\": \"a\", \"seconds\": 1.5, \"count\": 3, \"newer\": [1]}");
    assertEquals(new Sample("a", 1.5, 3), JsonRecords.read(file, Sample.class));
  }

  @Test
  void aMissingFieldIsNamedWithWhatItShouldBe() throws IOException {
    assertEquals(
        dir.resolve("sample.json") + ": field 'seconds' is missing",
        error("{\"name\": \"a\", \"count\": 3}"));
  }

  @Test
  void numbersAndTextAreNotCoercedIntoEachOther() throws IOException {
    Path file = dir.resolve("sample.json");
    assertEquals(
        file + ": field 'seconds': expected a number, found \"1.5\"",
        error("{\"name\": \"a\", \"seconds\": \"1.5\", \"count\": 3}"));
    assertEquals(
        file + ": field 'name': expected a string, found 7",
        error("{\"name\": 7, \"seconds\": 1.5, \"count\": 3}"));
    assertEquals(
        file + ": field 'count': expected an integer, found 2.5",
        error("{\"name\": \"a\", \"seconds\": 1.5, \"count\": 2.5}"));
  }

  @Test
  void aFileThatIsNotAnObjectSaysSo() throws IOException {
    assertEquals(dir.resolve("sample.json") + ": expected a JSON object, found [1]", error("[1]"));
  }

  @Test
  void aTruncatedFileSaysWhereItEnds() throws IOException {
    String message = error("{\"name\": \"a\", ");
    assertEquals(true, message.contains("truncated JSON"), message);
  }
}
