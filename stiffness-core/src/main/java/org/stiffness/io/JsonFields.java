package org.stiffness.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Typed access to the fields of a parsed JSON file whose errors name the file and the field (for
 * example {@code .../checkpoint.json: field 'model.config.hidden_size' is missing}). A general
 * reader, not tied to one file: a saved checkpoint's {@code checkpoint.json} is read through it, so
 * that the model kinds and input distances registered by a caller report bad files the same way
 * (the record that file is bound to is {@link CheckpointDescription}).
 *
 * @param file the file, for messages
 * @param root its parsed content
 */
public record JsonFields(Path file, JsonNode root) {

  /** Whether the dotted {@code path} is present and not null. */
  public boolean has(String path) {
    JsonNode n = find(path);
    return !n.isMissingNode() && !n.isNull();
  }

  /** The node at the dotted {@code path} ({@code model.config.hidden_size}). */
  public JsonNode node(String path) throws IOException {
    JsonNode n = find(path);
    if (n.isMissingNode() || n.isNull()) {
      throw missing(path);
    }
    return n;
  }

  /** The error for an absent field. */
  IOException missing(String path) {
    return new IOException(file + ": field '" + path + "' is missing");
  }

  private JsonNode find(String path) {
    JsonNode n = root;
    for (String part : path.split("\\.")) {
      // A number steps into an array: sets.0.name is the name of the first set.
      n =
          n.isArray() && part.chars().allMatch(Character::isDigit)
              ? n.path(Integer.parseInt(part))
              : n.path(part);
    }
    return n;
  }

  /** A string field. */
  public String text(String path) throws IOException {
    JsonNode n = node(path);
    if (!n.isTextual()) {
      throw bad(path, "a string", n.toString());
    }
    return n.asText();
  }

  /** An int field. */
  public int integer(String path) throws IOException {
    JsonNode n = node(path);
    if (!n.isInt()) {
      throw bad(path, "an integer", n.toString());
    }
    return n.asInt();
  }

  /** A number field. */
  public double number(String path) throws IOException {
    JsonNode n = node(path);
    if (!n.isNumber()) {
      throw bad(path, "a number", n.toString());
    }
    return n.asDouble();
  }

  /** A non-empty array field. */
  public JsonNode array(String path) throws IOException {
    JsonNode n = node(path);
    if (!n.isArray() || n.isEmpty()) {
      throw bad(path, "a non-empty array", n.toString());
    }
    return n;
  }

  /** An array of positive integers (a shape). */
  public long[] positiveLongs(String path) throws IOException {
    JsonNode n = array(path);
    long[] out = new long[n.size()];
    for (int k = 0; k < out.length; k++) {
      if (!n.get(k).canConvertToLong() || n.get(k).asLong() < 1) {
        throw bad(path, "positive integers", n.toString());
      }
      out[k] = n.get(k).asLong();
    }
    return out;
  }

  /** An array of integers (may be empty). */
  public long[] longs(String path) throws IOException {
    JsonNode n = node(path);
    if (!n.isArray()) {
      throw bad(path, "an array of integers", n.toString());
    }
    long[] out = new long[n.size()];
    for (int k = 0; k < out.length; k++) {
      if (!n.get(k).isIntegralNumber() || !n.get(k).canConvertToLong()) {
        throw bad(path, "an array of integers", n.toString());
      }
      out[k] = n.get(k).asLong();
    }
    return out;
  }

  /** The error for a field of the wrong form: file, field, what was expected, what was found. */
  public IOException bad(String path, String expected, String found) {
    return new IOException(
        file + ": field '" + path + "': expected " + expected + ", found " + found);
  }
}
