package org.stiffness.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonSummaryTest {
  @TempDir Path dir;

  record Cell(String name, double value, double[] row) {}

  @Test
  void nonFiniteNumbersInRecordsAndArraysBecomeNull() throws Exception {
    Path f = dir.resolve("s.json");
    JsonSummary.write(
        f,
        Map.of(
            "cell",
            new Cell("c", Double.NaN, new double[] {1.5, Double.POSITIVE_INFINITY}),
            "count",
            3));
    String text = Files.readString(f);
    assertTrue(!text.contains("NaN") && !text.contains("Infinity"), text);
    // Parse as strict JSON with a plain mapper: the reader is the oracle.
    JsonNode back = new ObjectMapper().readTree(text);
    assertTrue(back.at("/cell/value").isNull());
    assertEquals(1.5, back.at("/cell/row/0").doubleValue());
    assertTrue(back.at("/cell/row/1").isNull());
    assertEquals(3, back.at("/count").intValue());
  }

  @Test
  void treesAreSanitizedWithoutModifyingTheCallersTree() throws Exception {
    ObjectNode tree = JsonSummary.mapper().createObjectNode();
    tree.put("x", Double.NaN);
    tree.putArray("a").add(Float.NEGATIVE_INFINITY).add(2);
    JsonNode clean = JsonSummary.toTree(tree);
    assertTrue(clean.get("x").isNull());
    assertTrue(clean.at("/a/0").isNull());
    assertEquals(2, clean.at("/a/1").intValue());
    assertTrue(Double.isNaN(tree.get("x").doubleValue()), "input tree untouched");
  }

  @Test
  void writeReplacesAndLeavesNoTemporaryFiles() throws Exception {
    Path f = dir.resolve("r.json");
    JsonSummary.write(f, Map.of("v", 1));
    JsonSummary.write(f, Map.of("v", 2));
    assertEquals(2, new ObjectMapper().readTree(f.toFile()).get("v").intValue());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList());
    }
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'{\"a\": [1, 2' | truncated JSON: it ends at line 1, column 12 before the document is"
            + " complete",
        "'{\"a\": {\"b\": 1' | truncated JSON: it ends at line 1, column 14",
        "'{\"a\": x}' | not valid JSON at line 1, column 7: Unrecognized token 'x'",
        "'' | empty, expected a JSON document"
      })
  void aDamagedFileIsNamedWithWhatIsWrong(String content, String problem) throws Exception {
    Path file = dir.resolve("checkpoint.json");
    Files.writeString(file, content);
    IOException e = assertThrows(IOException.class, () -> JsonSummary.read(file));
    assertTrue(e.getMessage().startsWith(file + ": " + problem), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
