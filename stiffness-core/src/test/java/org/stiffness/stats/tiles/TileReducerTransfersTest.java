package org.stiffness.stats.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.stiffness.stats.PairTerms;

/**
 * Where the reducer's data crosses between host and device, read from its compiled classes: every
 * method each class of {@code org.stiffness.stats.tiles} (and {@link PairTerms}) calls is listed
 * from the class file's constant pool, and none may copy device arrays to the host ({@code
 * toDoubleArray}, {@code getDouble}, {@code toByteBuffer}, ...), create arrays from host values
 * ({@code NDManager.create}), or take a Java number ({@code add(Number)}, {@code clip(Number,
 * Number)}, {@code set(NDIndex, Number)}: on DJL 0.36 each wraps the number in an array made from a
 * Java buffer, an upload). Only {@link DeviceReads} (the one read per tile), {@link DeviceUploads}
 * (the one upload per tile) and the error paths of {@link TileChecks} may. Together with {@code
 * TileReducerTest.eachTileIsOneUploadAndOneRead} this holds the reducer to one upload and one read
 * per tile, whatever its row chunks.
 */
class TileReducerTransfersTest {
  private static final Set<String> ALLOWED =
      Set.of("DeviceReads.class", "DeviceUploads.class", "TileChecks.class");

  private static final Set<String> READS =
      Set.of(
          "toDoubleArray",
          "toFloatArray",
          "toLongArray",
          "toIntArray",
          "toBooleanArray",
          "toByteArray",
          "toUint8Array",
          "toArray",
          "toByteBuffer",
          "getDouble",
          "getFloat",
          "getLong",
          "getInt",
          "getBoolean",
          "getByte",
          "getUint8",
          "toDebugString");

  @Test
  void theReducerReadsAndUploadsOnlyThroughItsTwoDoors() throws IOException, URISyntaxException {
    Path dir =
        Path.of(TileReducer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("org/stiffness/stats/tiles");
    List<Path> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> f.toString().endsWith(".class")).forEach(classes::add);
    }
    classes.add(dir.resolveSibling("PairTerms.class"));
    assertTrue(classes.size() > 10, "the classes were found: " + classes);
    List<String> found = new ArrayList<>();
    for (Path c : classes) {
      if (ALLOWED.contains(c.getFileName().toString())) {
        continue;
      }
      for (String[] ref : methodRefs(c)) {
        String problem = problem(ref[0], ref[1], ref[2]);
        if (problem != null) {
          found.add(c.getFileName() + ": " + ref[0] + "." + ref[1] + ref[2] + " (" + problem + ")");
        }
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void theScanFindsATransferWhereThereIsOne() throws IOException, URISyntaxException {
    // The check itself, on a class known to read back (the read door): it must see it.
    Path reads =
        Path.of(TileReducer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("org/stiffness/stats/tiles/DeviceReads.class");
    boolean seen = false;
    for (String[] ref : methodRefs(reads)) {
      seen |= problem(ref[0], ref[1], ref[2]) != null;
    }
    assertTrue(seen, "DeviceReads' toDoubleArray is a read");
  }

  /** Why calling {@code owner.name descriptor} is a transfer, or null. */
  private static String problem(String owner, String name, String descriptor) {
    boolean array = owner.equals("ai/djl/ndarray/NDArray");
    boolean manager = owner.equals("ai/djl/ndarray/NDManager");
    if (array && READS.contains(name)) {
      return "a read to the host";
    }
    if (manager && name.startsWith("create")) {
      return "an upload from host values";
    }
    String parameters = descriptor.substring(1, descriptor.indexOf(')'));
    if ((array || manager) && parameters.contains("Ljava/lang/Number;")) {
      return "a Java number made into an array: an upload";
    }
    return null;
  }

  /** {owner, name, descriptor} of every method and interface-method reference of a class. */
  private static List<String[]> methodRefs(Path classFile) throws IOException {
    try (InputStream raw = Files.newInputStream(classFile);
        DataInputStream in = new DataInputStream(raw)) {
      if (in.readInt() != 0xCAFEBABE) {
        throw new IOException(classFile + " is not a class file");
      }
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      Object[] pool = new Object[count];
      int[][] refs = new int[count][];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> pool[i] = in.readUTF();
          case 3, 4 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          case 7, 8, 16, 19, 20 -> refs[i] = new int[] {tag, in.readUnsignedShort()};
          case 9, 10, 11, 12, 17, 18 ->
              refs[i] = new int[] {tag, in.readUnsignedShort(), in.readUnsignedShort()};
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          default -> throw new IOException(classFile + ": constant pool tag " + tag);
        }
      }
      List<String[]> out = new ArrayList<>();
      for (int[] ref : refs) {
        if (ref != null && (ref[0] == 10 || ref[0] == 11)) {
          String owner = (String) pool[refs[ref[1]][1]];
          int[] nameAndType = refs[ref[2]];
          out.add(
              new String[] {owner, (String) pool[nameAndType[1]], (String) pool[nameAndType[2]]});
        }
      }
      return out;
    }
  }
}
