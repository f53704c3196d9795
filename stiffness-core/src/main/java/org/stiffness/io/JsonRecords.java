package org.stiffness.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a JSON file into a record of the file's layout, refusing a missing or ill-typed field with
 * the file and the field's dotted path ({@code .../checkpoint.json: field 'gram.block_size':
 * expected an integer, found "x"}), in the words of {@link JsonFields}.
 *
 * <p>Jackson alone would coerce {@code "3"} to 3 and a missing number to 0, and its messages name
 * Java types; so the tree is first checked against the record's components (a component annotated
 * {@code @JsonInclude(NON_NULL)} may be absent, every other must be present and of its type), then
 * bound. Fields the record does not know are ignored, as a reader of an older version ignores what
 * a newer writer added. A record whose constructor refuses a value (a set name with the pairing
 * separator) is reported at that value's field.
 */
public final class JsonRecords {
  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private JsonRecords() {}

  /**
   * The record {@code type} in {@code file}.
   *
   * @throws IOException in one line: the file and what is wrong with it as JSON ({@link
   *     JsonSummary#read}), or the file, the field's dotted path and what it should have been
   */
  public static <R extends Record> R read(Path file, Class<R> type) throws IOException {
    return read(new JsonFields(file, JsonSummary.read(file)), type);
  }

  /**
   * The whole of {@code fields.root()} as a {@code type}.
   *
   * @throws IOException naming {@code fields.file()}, the field's dotted path and what it should
   *     have been
   */
  public static <R extends Record> R read(JsonFields fields, Class<R> type) throws IOException {
    check(fields, "", fields.root(), type);
    try {
      return JsonSummary.mapper()
          .readerFor(type)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(fields.root());
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException(
          fields.file() + ": field '" + path(e) + "': " + cause.getMessage(), cause);
    }
  }

  private static void check(JsonFields f, String path, JsonNode node, Type type)
      throws IOException {
    Class<?> raw = raw(type);
    if (raw.isRecord()) {
      if (!node.isObject() && path.isEmpty()) {
        throw new IOException(f.file() + ": expected a JSON object, found " + node);
      }
      if (!node.isObject()) {
        throw f.bad(path, "an object", node.toString());
      }
      boolean snakeCase = raw.isAnnotationPresent(JsonNaming.class);
      for (RecordComponent c : raw.getRecordComponents()) {
        String name = snakeCase ? SNAKE_CASE.translate(c.getName()) : c.getName();
        String at = path.isEmpty() ? name : path + "." + name;
        JsonNode child = node.get(name);
        if (child == null || child.isNull()) {
          if (!optional(c)) {
            throw f.missing(at);
          }
        } else {
          check(f, at, child, c.getGenericType());
        }
      }
    } else if (raw == String.class) {
      require(f, path, node, node.isTextual(), "a string");
    } else if (raw == int.class) {
      require(f, path, node, node.isInt(), "an integer");
    } else if (raw == long.class || raw == Long.class) {
      require(f, path, node, node.isIntegralNumber() && node.canConvertToLong(), "an integer");
    } else if (raw == double.class || raw == Double.class) {
      require(f, path, node, node.isNumber(), "a number");
    } else if (raw == boolean.class) {
      require(f, path, node, node.isBoolean(), "true or false");
    } else if (raw == List.class || raw.isArray()) {
      Type element =
          raw.isArray()
              ? raw.getComponentType()
              : ((ParameterizedType) type).getActualTypeArguments()[0];
      require(f, path, node, node.isArray(), "an array");
      for (int k = 0; k < node.size(); k++) {
        check(f, path + "." + k, node.get(k), element);
      }
    } else if (raw == ObjectNode.class) {
      require(f, path, node, node.isObject(), "an object");
    } else {
      throw new IllegalStateException("JsonRecords cannot check a " + type);
    }
  }

  private static void require(JsonFields f, String path, JsonNode node, boolean ok, String expected)
      throws IOException {
    if (!ok) {
      throw f.bad(path, expected, node.toString());
    }
  }

  private static boolean optional(RecordComponent c) {
    JsonInclude include = c.getAccessor().getAnnotation(JsonInclude.class);
    return include != null && include.value() == JsonInclude.Include.NON_NULL;
  }

  private static Class<?> raw(Type type) {
    return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
  }

  /** {@code pairings.1.rows}: the dotted path of {@link JsonFields}. */
  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()));
    }
    return out.toString();
  }
}
