package org.stiffness.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.stiffness.gram.GramTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.io.JsonSummary;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyReader;
import org.stiffness.io.NpyWriter;
import org.stiffness.stats.tiles.StatisticsSums;
import org.stiffness.stats.tiles.SumsShape;

/**
 * Tile files under {@code <root>/<pairing>/}, two kinds per tile:
 *
 * <ul>
 *   <li>the tile's statistics, {@code sums-000012.npy} (its {@link StatisticsSums} as one float64
 *       vector) and {@code sums-000012.json} (where the tile sits, the configuration hash, the
 *       shape of the sums and a SHA-256 over the {@code .npy} bytes): what a measurement needs;
 *   <li>optionally the Gram tile itself, {@code tile-000012.npy} (the fp32 entries, {@code (rows,
 *       cols)}) and {@code tile-000012.json} (position, hash, the per-example norms and a SHA-256
 *       over the {@code .npy} bytes and the norms).
 * </ul>
 *
 * <p>Each pair of files is written atomically, the {@code .npy} first: the {@code .json} is the
 * mark of a finished file pair. A process killed at any point leaves either no {@code .json} (the
 * tile is missing and will be computed) or a complete pair. Anything else that a disk, a copy or a
 * person can do to the files (truncation, changed bytes, a tile of another configuration) shows as
 * a checksum, position or hash mismatch when the tile is checked.
 */
public final class TileStore {
  static final String FORMAT = "stiffness-tile/1";
  static final String SUMS_FORMAT = "stiffness-tile-sums/1";

  private final Path root;

  /**
   * @param root directory holding one sub-directory per pairing
   */
  public TileStore(Path root) {
    this.root = root;
  }

  /** The directory holding one sub-directory per pairing. */
  public Path root() {
    return root;
  }

  /** What a tile's files hold. */
  public sealed interface State<T> {
    /** Whether the files are there and verified. */
    default boolean done() {
      return this instanceof Present;
    }
  }

  /** Verified content. */
  public record Present<T>(T content) implements State<T> {}

  /** No finished file pair (no {@code .json}). */
  public record Missing<T>(Path file) implements State<T> {}

  /** Files that fail verification: truncated, changed, or not the expected tile. */
  public record Corrupt<T>(Path file, String reason) implements State<T> {}

  /** A complete file pair of another configuration. */
  public record Foreign<T>(Path file, String configHash) implements State<T> {}

  /** The {@code .npy} of Gram tile {@code index} of a pairing. */
  public Path valuesFile(String pairing, int index) {
    return file(pairing, "tile", index, "npy");
  }

  /** The {@code .json} of Gram tile {@code index} of a pairing. */
  public Path sidecarFile(String pairing, int index) {
    return file(pairing, "tile", index, "json");
  }

  /** The {@code .npy} of the sums of tile {@code index} of a pairing. */
  public Path sumsFile(String pairing, int index) {
    return file(pairing, "sums", index, "npy");
  }

  /** The {@code .json} of the sums of tile {@code index} of a pairing. */
  public Path sumsSidecarFile(String pairing, int index) {
    return file(pairing, "sums", index, "json");
  }

  private Path file(String pairing, String kind, int index, String extension) {
    return root.resolve(pairing)
        .resolve(String.format(Locale.ROOT, "%s-%06d.%s", kind, index, extension));
  }

  /** Writes a computed Gram tile (replacing a corrupt one). */
  public void write(String pairing, GramTile tile, String configHash) throws IOException {
    TilePlan.Tile t = tile.tile();
    Path values = valuesFile(pairing, t.index());
    NpyWriter.write(values, tile.values(), t.height(), t.width());
    ObjectNode json = sidecar(FORMAT, configHash, pairing, t);
    json.put("inner_length", tile.innerLength());
    doubles(json.putArray("row_squared_norms"), tile.rowSquaredNorms());
    doubles(json.putArray("row_error_scale"), tile.rowErrorScale());
    doubles(json.putArray("col_squared_norms"), tile.colSquaredNorms());
    doubles(json.putArray("col_error_scale"), tile.colErrorScale());
    json.put("sha256", checksum(Files.readAllBytes(values), tile));
    JsonSummary.write(sidecarFile(pairing, t.index()), json);
  }

  /** Writes a tile's sums (replacing corrupt ones). */
  public void writeSums(String pairing, StatisticsSums sums, String configHash) throws IOException {
    TilePlan.Tile t = sums.tile();
    Path values = sumsFile(pairing, t.index());
    double[] vector = sums.toVector();
    NpyWriter.write(values, vector, vector.length);
    ObjectNode json = sidecar(SUMS_FORMAT, configHash, pairing, t);
    json.put("mirrored", sums.mirrored());
    ArrayNode sizes = json.putArray("group_sizes");
    for (int k : sums.shape().groupSizes()) {
      sizes.add(k);
    }
    json.put("bins", sums.shape().bins());
    json.put("distances", sums.shape().distances());
    json.put("coherence", sums.shape().coherence());
    json.put("sha256", sha256(Files.readAllBytes(values)));
    JsonSummary.write(sumsSidecarFile(pairing, t.index()), json);
  }

  private static ObjectNode sidecar(
      String format, String configHash, String pairing, TilePlan.Tile t) {
    ObjectNode json = JsonSummary.mapper().createObjectNode();
    json.put("format", format);
    json.put("config_hash", configHash);
    json.put("pairing", pairing);
    json.put("index", t.index());
    json.put("row_block", t.rowBlock());
    json.put("col_block", t.colBlock());
    json.putArray("rows").add(t.rowStart()).add(t.rowEnd());
    json.putArray("cols").add(t.colStart()).add(t.colEnd());
    return json;
  }

  /**
   * Reads and verifies Gram tile {@code index} of {@code plan}: present (with its content),
   * missing, corrupt, or of another configuration.
   */
  public State<GramTile> check(String pairing, TilePlan plan, int index, String configHash) {
    TilePlan.Tile expected = plan.tile(index);
    return check(
        FORMAT,
        pairing,
        expected,
        configHash,
        sidecarFile(pairing, index),
        valuesFile(pairing, index),
        (json, values, bytes) -> {
          GramTile tile =
              new GramTile(
                  expected,
                  floats(values, expected),
                  doubles(json, "row_squared_norms"),
                  doubles(json, "row_error_scale"),
                  doubles(json, "col_squared_norms"),
                  doubles(json, "col_error_scale"),
                  json.path("inner_length").asLong(-1));
          return new Checked<>(tile, checksum(bytes, tile));
        });
  }

  /**
   * Reads and verifies the sums of tile {@code index} of {@code plan}, which must have {@code
   * shape} (a file with another shape is corrupt: another statistics configuration would have
   * another hash).
   */
  public State<StatisticsSums> checkSums(
      String pairing, TilePlan plan, int index, String configHash, SumsShape shape) {
    TilePlan.Tile expected = plan.tile(index);
    boolean mirrored = plan.symmetric() && expected.rowBlock() != expected.colBlock();
    return check(
        SUMS_FORMAT,
        pairing,
        expected,
        configHash,
        sumsSidecarFile(pairing, index),
        sumsFile(pairing, index),
        (json, values, bytes) -> {
          int[] sizes = new int[json.path("group_sizes").size()];
          for (int k = 0; k < sizes.length; k++) {
            sizes[k] = json.path("group_sizes").path(k).asInt(-1);
          }
          if (json.path("mirrored").asBoolean() != mirrored
              || !Arrays.equals(sizes, shape.groupSizes())
              || json.path("bins").asInt(-1) != (shape.distances() ? shape.bins() : 0)
              || json.path("distances").asBoolean() != shape.distances()
              || json.path("coherence").asBoolean() != shape.coherence()) {
            throw new IOException(
                "fields 'mirrored'/'group_sizes'/'bins'/'distances'/'coherence' describe other"
                    + " sums than this measurement's ("
                    + shape
                    + ")");
          }
          NpyArray array = NpyReader.read(values);
          StatisticsSums sums =
              StatisticsSums.fromVector(shape, expected, mirrored, array.doubles());
          return new Checked<>(sums, sha256(bytes));
        });
  }

  /** Content read from a file pair, with the checksum it has. */
  private record Checked<T>(T content, String sha256) {}

  /** Reads the content of a file pair whose sidecar passed the common checks. */
  @FunctionalInterface
  private interface Reader<T> {
    Checked<T> read(JsonNode json, Path values, byte[] bytes) throws IOException;
  }

  private static <T> State<T> check(
      String format,
      String pairing,
      TilePlan.Tile expected,
      String configHash,
      Path sidecar,
      Path values,
      Reader<T> reader) {
    if (!Files.exists(sidecar)) {
      return new Missing<>(sidecar);
    }
    try {
      JsonNode json = JsonSummary.mapper().readTree(sidecar.toFile());
      if (json == null || !format.equals(json.path("format").asText())) {
        return new Corrupt<>(sidecar, "not a tile file (format '" + format + "' expected)");
      }
      String hash = json.path("config_hash").asText();
      if (!hash.equals(configHash)) {
        return new Foreign<>(sidecar, hash);
      }
      TilePlan.Tile found =
          new TilePlan.Tile(
              json.path("index").asInt(-1),
              json.path("row_block").asInt(-1),
              json.path("col_block").asInt(-1),
              json.path("rows").path(0).asInt(-1),
              json.path("rows").path(1).asInt(-1),
              json.path("cols").path(0).asInt(-1),
              json.path("cols").path(1).asInt(-1));
      if (!found.equals(expected) || !pairing.equals(json.path("pairing").asText())) {
        return new Corrupt<>(
            sidecar,
            "field 'index'/'rows'/'cols': describes "
                + json.path("pairing").asText()
                + " "
                + found
                + ", expected "
                + pairing
                + " "
                + expected);
      }
      if (!Files.exists(values)) {
        return new Corrupt<>(values, "the tile's .npy file is missing");
      }
      Checked<T> checked = reader.read(json, values, Files.readAllBytes(values));
      if (!checked.sha256().equals(json.path("sha256").asText())) {
        return new Corrupt<>(
            values,
            "SHA-256 "
                + checked.sha256()
                + " of the file's content does not match the "
                + json.path("sha256").asText()
                + " recorded in "
                + sidecar.getFileName());
      }
      return new Present<>(checked.content());
    } catch (IOException | RuntimeException e) {
      return new Corrupt<>(sidecar, "unreadable: " + e.getMessage());
    }
  }

  private static float[] floats(Path file, TilePlan.Tile tile) throws IOException {
    NpyArray array = NpyReader.read(file);
    long[] shape = array.shape();
    if (shape.length != 2 || shape[0] != tile.height() || shape[1] != tile.width()) {
      throw new IOException(
          file
              + ": shape "
              + Arrays.toString(shape)
              + ", expected ["
              + tile.height()
              + ", "
              + tile.width()
              + "]");
    }
    return array.floats();
  }

  private static double[] doubles(JsonNode json, String field) throws IOException {
    JsonNode array = json.get(field);
    if (array == null || !array.isArray()) {
      throw new IOException("field '" + field + "' is not an array");
    }
    double[] out = new double[array.size()];
    for (int k = 0; k < out.length; k++) {
      if (!array.get(k).isNumber()) {
        throw new IOException("field '" + field + "' entry " + k + " is not a number");
      }
      out[k] = array.get(k).doubleValue();
    }
    return out;
  }

  private static void doubles(ArrayNode out, double[] values) {
    for (double v : values) {
      out.add(v); // Jackson writes the shortest decimal that reads back to the same double
    }
  }

  /** SHA-256 over the {@code .npy} bytes, then the bits of every norm and the inner length. */
  private static String checksum(byte[] npy, GramTile tile) {
    int count = tile.rowSquaredNorms().length * 2 + tile.colSquaredNorms().length * 2 + 1;
    ByteBuffer bits = ByteBuffer.allocate(count * Long.BYTES);
    for (double[] a :
        new double[][] {
          tile.rowSquaredNorms(), tile.rowErrorScale(), tile.colSquaredNorms(), tile.colErrorScale()
        }) {
      for (double v : a) {
        bits.putLong(Double.doubleToRawLongBits(v));
      }
    }
    bits.putLong(tile.innerLength());
    return sha256(npy, bits.array());
  }

  private static String sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        digest.update(p);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
