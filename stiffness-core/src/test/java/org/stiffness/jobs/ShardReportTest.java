package org.stiffness.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardReportTest {
  @TempDir Path dir;

  private static ShardReport report(String shard, double seconds) {
    return new ShardReport(
        shard, "cpu()", "node7", seconds, 123_456_789L, 5, 1, 2, 0.5, 1.5, 0.25, 0.125, 4096);
  }

  @Test
  void reportsComeBackAsWrittenInShardOrder() throws IOException {
    // 10 before 2 as text: the order must be numeric.
    for (String s : List.of("10/12", "2/12", "0/12")) {
      report(s, 1.5).write(dir);
    }
    assertTrue(Files.isRegularFile(dir.resolve("shards/shard-10-of-12.json")));
    List<ShardReport> back = ShardReport.readAll(dir);
    assertEquals(List.of(report("0/12", 1.5), report("2/12", 1.5), report("10/12", 1.5)), back);
  }

  @Test
  void aRerunReplacesTheShardsReport() throws IOException {
    report("1/2", 9.0).write(dir);
    report("1/2", 0.25).write(dir);
    assertEquals(List.of(report("1/2", 0.25)), ShardReport.readAll(dir));
  }

  @Test
  void noReportsIsAnEmptyList() throws IOException {
    assertEquals(List.of(), ShardReport.readAll(dir));
  }

  @Test
  void aMalformedReportNamesTheFileAndTheField() throws IOException {
    report("0/2", 1).write(dir);
    Path file = dir.resolve("shards/shard-0-of-2.json");
    Files.writeString(file, Files.readString(file).replace("\"seconds\"", "\"secs\""));
    IOException e = assertThrows(IOException.class, () -> ShardReport.readAll(dir));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("field 'seconds' is missing"), e.getMessage());

    report("0/2", 1).write(dir);
    Files.writeString(file, Files.readString(file).replace("\"0/2\"", "\"two of three\""));
    e = assertThrows(IOException.class, () -> ShardReport.readAll(dir));
    assertTrue(e.getMessage().contains("field 'shard': expected i/k"), e.getMessage());
  }

  @Test
  void peakResidentMemoryFollowsWhatTheProcessTouches() {
    Assumptions.assumeTrue(ProcessMemory.resetPeak(), "the kernel does not reset VmHWM");
    long before = ProcessMemory.peakRssBytes();
    assertTrue(before > 0, "peak " + before);
    int size = 256 << 20;
    ByteBuffer touched = ByteBuffer.allocateDirect(size);
    for (int i = 0; i < size; i += 4096) {
      touched.put(i, (byte) 1);
    }
    long resident = residentBytes();
    long after = ProcessMemory.peakRssBytes();
    // Every page of the buffer became resident, and the peak holds at least what is resident now.
    // (Not "the peak grew by the buffer's size": the JVM and the kernel may give back other pages
    // meanwhile, on a machine under memory pressure by tens of megabytes.)
    assertTrue(resident >= size, "resident " + resident + " after touching " + size + " bytes");
    assertTrue(after >= resident, "peak " + after + " below the resident " + resident);
    assertTrue(after > before, before + " -> " + after);
    assertEquals(1, touched.get(size - 4096));
  }

  /** VmRSS: the resident size now. */
  private static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no VmRSS in /proc/self/status");
  }
}
