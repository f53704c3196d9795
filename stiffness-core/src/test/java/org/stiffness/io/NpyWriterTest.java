package org.stiffness.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {
  @TempDir Path dir;

  @Test
  void float32MatrixRoundTrips() throws IOException {
    float[] data = {1.5f, -2f, Float.NaN, 3e-39f, Float.MAX_VALUE, 0f};
    Path f = dir.resolve("a.npy");
    NpyWriter.write(f, data, 2, 3);
    NpyArray a = NpyReader.read(f);
    assertEquals(NpyDtype.FLOAT32, a.dtype());
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertArrayEquals(data, a.floats());
  }

  @Test
  void otherDtypesRoundTrip() throws IOException {
    double[] d = {Math.PI, -1e300};
    byte[] b = {-1, 0, 1, 127, -128};
    long[] l = {Long.MIN_VALUE, 0, 42};
    NpyWriter.write(dir.resolve("d.npy"), d, 2);
    NpyWriter.write(dir.resolve("b.npy"), b, 5, 1);
    NpyWriter.write(dir.resolve("l.npy"), l, 3);
    assertArrayEquals(d, NpyReader.read(dir.resolve("d.npy")).doubles());
    assertArrayEquals(b, NpyReader.read(dir.resolve("b.npy")).bytes());
    assertArrayEquals(new long[] {5, 1}, NpyReader.read(dir.resolve("b.npy")).shape());
    assertArrayEquals(l, NpyReader.read(dir.resolve("l.npy")).longs());
  }

  @Test
  void largerThanOneChunkRoundTrips() throws IOException {
    float[] data = new float[700_000]; // 2.8 MB, spans three 1 MiB write chunks
    for (int k = 0; k < data.length; k++) {
      data[k] = k * 0.5f;
    }
    NpyWriter.write(dir.resolve("big.npy"), data, 700, 1000);
    assertArrayEquals(data, NpyReader.read(dir.resolve("big.npy")).floats());
  }

  @Test
  void headerIsVersion1AlignedTo64Bytes() throws IOException {
    NpyWriter.write(dir.resolve("h.npy"), new long[] {1, 2, 3}, 3);
    byte[] bytes = Files.readAllBytes(dir.resolve("h.npy"));
    int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
    assertEquals(0, (10 + headerLen) % 64);
    assertEquals(10 + headerLen + 3 * 8, bytes.length);
    String header = new String(bytes, 10, headerLen, StandardCharsets.US_ASCII);
    assertTrue(header.startsWith("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }"));
    assertTrue(header.endsWith("\n"));
  }

  @Test
  void shapeMustMatchTheData() {
    assertThrows(
        IllegalArgumentException.class,
        () -> NpyWriter.write(dir.resolve("x.npy"), new float[6], 4, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> NpyWriter.write(dir.resolve("x.npy"), new float[8], 2, 2, 2));
  }

  @Test
  void overwritesAtomicallyLeavingNoTemporaryFiles() throws IOException {
    Path f = dir.resolve("r.npy");
    NpyWriter.write(f, new double[] {1}, 1);
    NpyWriter.write(f, new double[] {2, 3}, 2);
    assertArrayEquals(new double[] {2, 3}, NpyReader.read(f).doubles());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList());
    }
  }

  @Test
  void readerRejectsAnotherFormatNamingFileAndExpectation() throws IOException {
    Path f = dir.resolve("bad.npy");
    Files.writeString(f, "not numpy at all");
    IOException e = assertThrows(IOException.class, () -> NpyReader.read(f));
    assertTrue(
        e.getMessage().contains("bad.npy") && e.getMessage().contains("magic"), e.getMessage());
  }

  @Test
  void readerRejectsTruncatedData() throws IOException {
    Path f = dir.resolve("t.npy");
    NpyWriter.write(f, new float[] {1, 2, 3, 4}, 4);
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(bytes, bytes.length - 2));
    IOException e = assertThrows(IOException.class, () -> NpyReader.read(f));
    assertTrue(e.getMessage().contains("16 data bytes"), e.getMessage());
  }

  @Test
  void readingAsTheWrongTypeNamesBothTypes() throws IOException {
    Path f = dir.resolve("w.npy");
    NpyWriter.write(f, new byte[] {1}, 1);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> NpyReader.read(f).floats());
    assertTrue(e.getMessage().contains("|i1") && e.getMessage().contains("<f4"), e.getMessage());
  }

  @Test
  void numpyLoadsWhatWeWrite() throws Exception {
    assumeTrue(python("import numpy") == 0, "numpy is not available");
    NpyWriter.write(dir.resolve("f.npy"), new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    NpyWriter.write(dir.resolve("d.npy"), new double[] {0.25, -1}, 2);
    NpyWriter.write(dir.resolve("b.npy"), new byte[] {-1, 0, 1}, 3);
    NpyWriter.write(dir.resolve("l.npy"), new long[] {7, -8}, 1, 2);
    String check =
        "import numpy as np, sys\n"
            + "d = sys.argv[1]\n"
            + "f = np.load(d + '/f.npy'); assert f.dtype == np.float32 and f.shape == (2, 3)"
            + " and f[1, 2] == 6, f\n"
            + "x = np.load(d + '/d.npy'); assert x.dtype == np.float64 and list(x) == [0.25, -1]\n"
            + "b = np.load(d + '/b.npy'); assert b.dtype == np.int8 and list(b) == [-1, 0, 1]\n"
            + "l = np.load(d + '/l.npy'); assert l.dtype == np.int64 and l.shape == (1, 2)"
            + " and l[0, 1] == -8\n";
    assertEquals(0, python(check, dir.toString()));
  }

  private static int python(String code, String... args) throws Exception {
    // Debian's python3 first (.ci/run installs python3-numpy for it), else whatever is on PATH.
    String interpreter =
        Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    List<String> cmd = new ArrayList<>(List.of(interpreter, "-c", code));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).inheritIO().start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1; // no python3 on this machine
    }
  }
}
