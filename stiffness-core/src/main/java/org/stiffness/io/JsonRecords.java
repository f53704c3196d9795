package org.stiffness.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a JSON file into a record with Jackson, strictly: every component must be present and of
 * its JSON type (a string for text, a number for numbers, no coercion between them, no fraction for
 * an integer); fields the record does not know are ignored, so that a newer writer's file stays
 * readable. A mistake is one line naming the file and the field.
 */
public final class JsonRecords {
  private static final ObjectMapper STRICT = strict();

  private JsonRecords() {}

  private static ObjectMapper strict() {
    ObjectMapper m =
        new ObjectMapper()
            .enable(
                DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    for (CoercionInputShape shape :
        List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
      m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    for (LogicalType number : List.of(LogicalType.Integer, LogicalType.Float)) {
      m.coercionConfigFor(number).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    return m;
  }

  /**
   * The record {@code type} in {@code file}.
   *
   * @throws IOException in one line: the file and what is wrong with it as JSON ({@link
   *     JsonSummary#read}), or the file, the field and what it should have been, e.g. {@code
   *     shard-0-of-2.json: field 'seconds': expected a number, got "1.5"}
   */
  public static <T> T read(Path file, Class<T> type) throws IOException {
    JsonNode tree = JsonSummary.read(file);
    try {
      return STRICT.treeToValue(tree, type);
    } catch (MismatchedInputException e) {
      List<JsonMappingException.Reference> path = e.getPath();
      String field = path.isEmpty() ? null : path.get(path.size() - 1).getFieldName();
      if (field == null) {
        throw new IOException(file + ": expected a JSON object, got " + tree.getNodeType(), e);
      }
      throw new IOException(
          file
              + ": field '"
              + field
              + "': expected "
              + expected(e.getTargetType())
              + ", got "
              + tree.get(field),
          e);
    }
  }

  private static String expected(Class<?> target) {
    if (target == null) {
      return "a value";
    }
    if (target == String.class) {
      return "a string";
    }
    if (target == boolean.class || target == Boolean.class) {
      return "true or false";
    }
    if (target.isPrimitive() || Number.class.isAssignableFrom(target)) {
      return "a number";
    }
    return "a JSON "
        + (target.isArray() || List.class.isAssignableFrom(target) ? "array" : "object");
  }
}
