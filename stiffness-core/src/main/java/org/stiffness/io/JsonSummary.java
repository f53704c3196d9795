package org.stiffness.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

/**
 * Writes JSON summaries atomically (temporary file, then rename), with every NaN or infinite number
 * written as {@code null}: strict JSON has no NaN, and the statistics use NaN for "no pairs" (empty
 * class cells, empty distance bins), which readers should see as missing.
 */
public final class JsonSummary {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonSummary() {}

  /** The shared mapper (indenting output), e.g. to build trees with {@code createObjectNode()}. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Converts any Jackson-serialisable value (tree, record, map, array) to a tree with non-finite
   * numbers replaced by {@code null}.
   */
  public static JsonNode toTree(Object value) {
    JsonNode tree = value instanceof JsonNode n ? n.deepCopy() : MAPPER.valueToTree(value);
    return sanitize(tree);
  }

  /**
   * Reads a JSON file as a tree.
   *
   * @throws IOException in one line naming the file and what is wrong with it: empty, truncated
   *     (where it ends), or not JSON (where and why), instead of the parser's text
   */
  public static JsonNode read(Path file) throws IOException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      // Jackson says "end-of-input" in a JsonEOFException in some places, a plain parse error in
      // others (inside an array).
      if (e instanceof JsonEOFException
          || e.getOriginalMessage().startsWith("Unexpected end-of-input")) {
        throw new IOException(
            file + ": truncated JSON: it ends " + where(e) + " before the document is complete", e);
      }
      throw new IOException(
          file
              + ": not valid JSON "
              + where(e)
              + ": "
              + e.getOriginalMessage().lines().findFirst().orElse(""),
          e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new IOException(file + ": empty, expected a JSON document");
    }
    return tree;
  }

  private static String where(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    return at == null ? "somewhere" : "at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /** Writes {@code value} as indented JSON to {@code file}, atomically, NaN/Infinity as null. */
  public static void write(Path file, Object value) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(toTree(value));
    AtomicFiles.write(
        file,
        ch -> {
          ByteBuffer buf = ByteBuffer.wrap(bytes);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        });
  }

  private static JsonNode sanitize(JsonNode node) {
    if (node.isNumber() && !node.isIntegralNumber() && !Double.isFinite(node.doubleValue())) {
      return NullNode.getInstance();
    }
    if (node instanceof ObjectNode obj) {
      for (String name :
          new ArrayList<>(obj.properties().stream().map(Map.Entry::getKey).toList())) {
        obj.set(name, sanitize(obj.get(name)));
      }
    } else if (node instanceof ArrayNode arr) {
      for (int k = 0; k < arr.size(); k++) {
        arr.set(k, sanitize(arr.get(k)));
      }
    }
    return node;
  }
}
