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
import java.util.HexFormat;
import org.stiffness.gram.GramTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.io.JsonSummary;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyReader;
import org.stiffness.io.NpyWriter;

/**
 * Tile files under {@code <root>/<pairing>/}: {@code tile-000012.npy} (the fp32 entries, {@code
 * (rows, cols)}) and {@code tile-000012.json} (where the tile sits, the configuration hash, the
 * per-example norms and a SHA-256 over the {@code .npy} bytes and the norms).
 *
 * <p>Both files are written atomically, the {@code .npy} first: the {@code .json} is the mark of a
 * finished tile. A process killed at any point leaves either no {@code .json} (the tile is missing
 * and will be computed) or a complete pair. Anything else that a disk, a copy or a person can do to
 * the files (truncation, changed bytes, a tile of another configuration) shows as a checksum,
 * position or hash mismatch when the tile is checked.
 */
public final class TileStore {
  static final String FORMAT = "stiffness-tile/1";

  private final Path root;

  /**
   * @param root directory holding one sub-directory per pairing
   */
  public TileStore(Path root) {
    this.root = root;
  }

  /** What a tile's files hold. */
  public sealed interface State {
    /** Whether the tile is there and verified. */
    default boolean done() {
      return this instanceof Present;
    }
  }

  /** A verified tile. */
  public record Present(GramTile tile) implements State {}

  /** No finished tile (no {@code .json}). */
  public record Missing(Path file) implements State {}

  /** Files that fail verification: truncated, changed, or not the expected tile. */
  public record Corrupt(Path file, String reason) implements State {}

  /** A complete tile of another configuration. */
  public record Foreign(Path file, String configHash) implements State {}

  /** The {@code .npy} of tile {@code index} of a pairing. */
  public Path valuesFile(String pairing, int index) {
    return root.resolve(pairing).resolve(String.format("tile-%06d.npy", index));
  }

  /** The {@code .json} of tile {@code index} of a pairing. */
  public Path sidecarFile(String pairing, int index) {
    return root.resolve(pairing).resolve(String.format("tile-%06d.json", index));
  }

  /** Writes a computed tile (replacing a corrupt one). */
  public void write(String pairing, GramTile tile, String configHash) throws IOException {
    TilePlan.Tile t = tile.tile();
    Path values = valuesFile(pairing, t.index());
    NpyWriter.write(values, tile.values(), t.height(), t.width());
    ObjectNode json = JsonSummary.mapper().createObjectNode();
    json.put("format", FORMAT);
    json.put("config_hash", configHash);
    json.put("pairing", pairing);
    json.put("index", t.index());
    json.put("row_block", t.rowBlock());
    json.put("col_block", t.colBlock());
    json.putArray("rows").add(t.rowStart()).add(t.rowEnd());
    json.putArray("cols").add(t.colStart()).add(t.colEnd());
    json.put("inner_length", tile.innerLength());
    doubles(json.putArray("row_squared_norms"), tile.rowSquaredNorms());
    doubles(json.putArray("row_error_scale"), tile.rowErrorScale());
    doubles(json.putArray("col_squared_norms"), tile.colSquaredNorms());
    doubles(json.putArray("col_error_scale"), tile.colErrorScale());
    json.put("sha256", checksum(Files.readAllBytes(values), tile));
    JsonSummary.write(sidecarFile(pairing, t.index()), json);
  }

  /**
   * Reads and verifies tile {@code index} of {@code plan}: present (with its content), missing,
   * corrupt, or of another configuration.
   */
  public State check(String pairing, TilePlan plan, int index, String configHash) {
    Path sidecar = sidecarFile(pairing, index);
    Path values = valuesFile(pairing, index);
    if (!Files.exists(sidecar)) {
      return new Missing(sidecar);
    }
    TilePlan.Tile expected = plan.tile(index);
    try {
      JsonNode json = JsonSummary.mapper().readTree(sidecar.toFile());
      if (json == null || !FORMAT.equals(json.path("format").asText())) {
        return new Corrupt(sidecar, "not a tile file (format '" + FORMAT + "' expected)");
      }
      String hash = json.path("config_hash").asText();
      if (!hash.equals(configHash)) {
        return new Foreign(sidecar, hash);
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
        return new Corrupt(
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
        return new Corrupt(values, "the tile's .npy file is missing");
      }
      byte[] bytes = Files.readAllBytes(values);
      GramTile tile =
          new GramTile(
              expected,
              floats(values, expected),
              doubles(json, "row_squared_norms"),
              doubles(json, "row_error_scale"),
              doubles(json, "col_squared_norms"),
              doubles(json, "col_error_scale"),
              json.path("inner_length").asLong(-1));
      String sum = checksum(bytes, tile);
      if (!sum.equals(json.path("sha256").asText())) {
        return new Corrupt(
            values,
            "SHA-256 "
                + sum
                + " of the entries and norms does not match the "
                + json.path("sha256").asText()
                + " recorded in "
                + sidecar.getFileName());
      }
      return new Present(tile);
    } catch (IOException | RuntimeException e) {
      return new Corrupt(sidecar, "unreadable: " + e.getMessage());
    }
  }

  private static float[] floats(Path file, TilePlan.Tile tile) throws IOException {
    NpyArray array = NpyReader.read(file);
    long[] shape = array.shape();
    if (shape.length != 2 || shape[0] != tile.height() || shape[1] != tile.width()) {
      throw new IOException(
          file
              + ": shape "
              + java.util.Arrays.toString(shape)
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
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(npy);
      int count = tile.rowSquaredNorms().length * 2 + tile.colSquaredNorms().length * 2 + 1;
      ByteBuffer bits = ByteBuffer.allocate(count * Long.BYTES);
      for (double[] a :
          new double[][] {
            tile.rowSquaredNorms(),
            tile.rowErrorScale(),
            tile.colSquaredNorms(),
            tile.colErrorScale()
          }) {
        for (double v : a) {
          bits.putLong(Double.doubleToRawLongBits(v));
        }
      }
      bits.putLong(tile.innerLength());
      digest.update(bits.array());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
