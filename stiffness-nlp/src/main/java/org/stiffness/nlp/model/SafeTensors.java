package org.stiffness.nlp.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of contents of a {@code .safetensors} file, and its tensors widened to float.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length n, n bytes of UTF-8 JSON {@code {name:
 * {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}}, then the raw
 * little-endian data, offsets relative to its start. Every tensor's byte range must match its dtype
 * and shape and lie inside the data; anything else is reported with the file and the tensor.
 */
public final class SafeTensors {
  /** Headers beyond this are refused, as by the reference implementation (100 MB). */
  private static final long MAX_HEADER = 100_000_000L;

  private static final Map<String, Integer> DTYPE_BYTES =
      Map.ofEntries(
          Map.entry("F64", 8),
          Map.entry("F32", 4),
          Map.entry("F16", 2),
          Map.entry("BF16", 2),
          Map.entry("I64", 8),
          Map.entry("I32", 4),
          Map.entry("I16", 2),
          Map.entry("I8", 1),
          Map.entry("U8", 1),
          Map.entry("BOOL", 1));

  /**
   * One tensor's header entry.
   *
   * @param name its name
   * @param dtype safetensors dtype ("F32", "F16", "BF16", "I64", ...)
   * @param shape its shape (empty for a scalar)
   * @param begin first byte, relative to the data section
   * @param end one past the last byte
   */
  public record Entry(String name, String dtype, long[] shape, long begin, long end) {
    /** Number of elements. */
    public long size() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    /** The shape as {@code [a, b]}, for messages. */
    public String shapeText() {
      return Arrays.toString(shape);
    }
  }

  private final Path file;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafeTensors(
      Path file, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
    this.file = file;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /**
   * Reads and checks the header of a safetensors file.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the file (and tensor) when the layout is broken
   */
  public static SafeTensors open(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < 8) {
        throw bad(file, "only " + fileSize + " bytes, shorter than the 8-byte header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0, file);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > fileSize - 8) {
        throw bad(
            file,
            "header length "
                + Long.toUnsignedString(headerLength)
                + " does not fit a file of "
                + fileSize
                + " bytes (expected a JSON header of at most "
                + Math.min(MAX_HEADER, fileSize - 8)
                + " bytes after the 8-byte length)");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate(Math.toIntExact(headerLength));
      readFully(channel, headerBytes, 8, file);
      String header = new String(headerBytes.array(), StandardCharsets.UTF_8);
      long dataStart = 8 + headerLength;
      return parse(file, header, dataStart, fileSize - dataStart);
    }
  }

  private static SafeTensors parse(Path file, String header, long dataStart, long dataSize) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(header);
    } catch (JsonProcessingException e) {
      throw bad(file, "the header is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw bad(file, "the header is not a JSON object of tensors");
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("__metadata__")) {
        field
            .getValue()
            .fields()
            .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      entries.put(field.getKey(), entry(file, field.getKey(), field.getValue(), dataSize));
    }
    requireNoOverlap(file, entries.values());
    return new SafeTensors(
        file,
        dataStart,
        Collections.unmodifiableMap(entries),
        Collections.unmodifiableMap(metadata));
  }

  private static Entry entry(Path file, String name, JsonNode node, long dataSize) {
    String where = "tensor '" + name + "'";
    JsonNode dtype = node.get("dtype");
    JsonNode shape = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (dtype == null || !dtype.isTextual()) {
      throw bad(file, where + ": missing or non-string \"dtype\"");
    }
    Integer width = DTYPE_BYTES.get(dtype.textValue());
    if (width == null) {
      throw bad(
          file,
          where
              + ": unknown dtype '"
              + dtype.textValue()
              + "', expected one of "
              + DTYPE_BYTES.keySet());
    }
    if (shape == null || !shape.isArray()) {
      throw bad(file, where + ": missing \"shape\" (an array of non-negative integers)");
    }
    long[] dims = new long[shape.size()];
    for (int k = 0; k < dims.length; k++) {
      JsonNode d = shape.get(k);
      if (!d.isIntegralNumber() || d.longValue() < 0) {
        throw bad(file, where + ": shape " + shape + " is not an array of non-negative integers");
      }
      dims[k] = d.longValue();
    }
    if (offsets == null
        || !offsets.isArray()
        || offsets.size() != 2
        || !offsets.get(0).isIntegralNumber()
        || !offsets.get(1).isIntegralNumber()) {
      throw bad(file, where + ": \"data_offsets\" must be [begin, end], got " + offsets);
    }
    Entry entry =
        new Entry(
            name, dtype.textValue(), dims, offsets.get(0).longValue(), offsets.get(1).longValue());
    long expected = entry.size() * width;
    if (entry.begin() < 0 || entry.end() < entry.begin() || entry.end() > dataSize) {
      throw bad(
          file,
          where
              + ": data_offsets ["
              + entry.begin()
              + ", "
              + entry.end()
              + "] lie outside the "
              + dataSize
              + " data bytes (truncated file?)");
    }
    if (entry.end() - entry.begin() != expected) {
      throw bad(
          file,
          where
              + ": data_offsets ["
              + entry.begin()
              + ", "
              + entry.end()
              + "] hold "
              + (entry.end() - entry.begin())
              + " bytes but "
              + entry.dtype()
              + " "
              + entry.shapeText()
              + " needs "
              + expected);
    }
    return entry;
  }

  private static void requireNoOverlap(Path file, Iterable<Entry> entries) {
    List<Entry> sorted = new ArrayList<>();
    entries.forEach(sorted::add);
    sorted.sort(Comparator.comparingLong(Entry::begin));
    for (int i = 1; i < sorted.size(); i++) {
      Entry previous = sorted.get(i - 1);
      Entry next = sorted.get(i);
      if (next.begin() < previous.end()) {
        throw bad(
            file,
            "tensors '"
                + previous.name()
                + "' and '"
                + next.name()
                + "' overlap in the data section");
      }
    }
  }

  /** The file this table describes. */
  public Path file() {
    return file;
  }

  /** Tensors by name, in header order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** The {@code __metadata__} strings (HuggingFace writes {"format": "pt"}). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * A tensor's values widened to float, row-major.
   *
   * @throws IllegalArgumentException when the tensor does not exist or its dtype is not F32, F16 or
   *     BF16 (F64 is narrowed)
   */
  public float[] readFloats(String name) throws IOException {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw bad(file, "no tensor '" + name + "'");
    }
    int n = Math.toIntExact(entry.size());
    float[] values = new float[n];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer bytes =
          channel
              .map(
                  FileChannel.MapMode.READ_ONLY,
                  dataStart + entry.begin(),
                  entry.end() - entry.begin())
              .order(ByteOrder.LITTLE_ENDIAN);
      switch (entry.dtype()) {
        case "F32" -> bytes.asFloatBuffer().get(values);
        case "F64" -> {
          var doubles = bytes.asDoubleBuffer();
          for (int i = 0; i < n; i++) {
            values[i] = (float) doubles.get(i);
          }
        }
        case "F16" -> {
          var shorts = bytes.asShortBuffer();
          for (int i = 0; i < n; i++) {
            values[i] = HalfPrecision.float16ToFloat(shorts.get(i));
          }
        }
        case "BF16" -> {
          var shorts = bytes.asShortBuffer();
          for (int i = 0; i < n; i++) {
            values[i] = HalfPrecision.bfloat16ToFloat(shorts.get(i));
          }
        }
        default ->
            throw bad(
                file,
                "tensor '"
                    + name
                    + "' has dtype "
                    + entry.dtype()
                    + ": expected F32, F16, BF16 or F64");
      }
    }
    return values;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw bad(file, "unexpected end of file at byte " + at);
      }
      at += read;
    }
  }

  private static IllegalArgumentException bad(Path file, String message) {
    return new IllegalArgumentException(file + ": " + message);
  }
}
