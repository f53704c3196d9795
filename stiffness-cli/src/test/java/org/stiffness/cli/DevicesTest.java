package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code measure --devices cpu,cpu}: two worker processes, against one {@code measure} process (the
 * oracle: the same tiles computed without workers), byte for byte after {@code merge}.
 */
class DevicesTest {
  /** 60 examples per subset in blocks of 12: 15 + 25 + 15 tiles over the three pairings. */
  private static final int TILES = 55;

  @TempDir static Path shared;
  @TempDir Path temp;

  private static Path checkpoint;

  @BeforeAll
  static void saveACheckpoint() throws IOException {
    checkpoint =
        SavedCheckpoints.trainDigits(
            shared.resolve("vision"),
            "--train-size",
            "300",
            "--subset-size",
            "60",
            "--epochs",
            "1",
            "--block-size",
            "12");
  }

  private static Run measure(Path out, String... more) {
    return SavedCheckpoints.measure(checkpoint, out, more);
  }

  private static void assertSameFiles(Path expected, Path actual) throws IOException {
    Map<String, byte[]> e = TreeFiles.read(expected);
    Map<String, byte[]> a = TreeFiles.read(actual);
    assertEquals(e.keySet(), a.keySet());
    assertFalse(e.isEmpty(), expected.toString());
    for (String name : e.keySet()) {
      assertArrayEquals(e.get(name), a.get(name), name);
    }
  }

  /** Round robin: shard i of k holds the jobs j with j mod k = i. */
  private static int inShard(int i, int k) {
    int n = 0;
    for (int job = 0; job < TILES; job++) {
      n += job % k == i ? 1 : 0;
    }
    return n;
  }

  @Test
  void twoCpuWorkersGiveTheOneProcessResultByteForByte() throws IOException {
    Path workers = temp.resolve("workers");
    Run two = measure(workers, "--devices", "cpu,cpu");
    assertEquals(0, two.exitCode(), two.out() + two.err());
    // Each worker reports its own shard, under its label: they did split the tiles.
    for (int i = 0; i < 2; i++) {
      Matcher m =
          Pattern.compile(
                  "\\[worker "
                      + i
                      + " \\(cpu, shard "
                      + i
                      + "/2\\)\\] shard "
                      + i
                      + "/2: computed (\\d+) tiles")
              .matcher(two.out());
      assertTrue(m.find(), two.out());
      assertEquals(inShard(i, 2), Integer.parseInt(m.group(1)), two.out());
    }
    assertTrue(two.out().contains("then: stiffness merge " + workers), two.out());

    Path single = temp.resolve("single");
    assertEquals(0, measure(single).exitCode());
    assertSameFiles(single.resolve("tiles"), workers.resolve("tiles"));

    assertEquals(0, Run.of("merge", workers.toString()).exitCode());
    assertEquals(0, Run.of("merge", single.toString()).exitCode());
    assertSameFiles(single.resolve("matrices"), workers.resolve("matrices"));
    // The statistics of every pairing; the rest of summary.json names the directory and times.
    ObjectMapper json = new ObjectMapper();
    assertEquals(
        json.readTree(single.resolve("summary.json").toFile()).get("runs"),
        json.readTree(workers.resolve("summary.json").toFile()).get("runs"));
  }

  @Test
  void aFailingWorkerIsNamedInOneLine() throws IOException {
    Path out = temp.resolve("m");
    assertEquals(0, measure(out, "--shard", "2/3").exitCode());
    // The directory was started as 3 shards: both workers of 2 are refused by measure itself.
    Run r = measure(out, "--devices", "cpu,cpu");
    assertEquals(1, r.exitCode(), r.out() + r.err());
    List<String> lines = r.err().strip().lines().toList();
    String last = lines.get(lines.size() - 1);
    assertTrue(
        last.startsWith("stiffness: worker 0 (cpu, shard 0/2) failed with exit code 1: "), last);
    assertTrue(last.contains("worker 1 (cpu, shard 1/2) failed"), last);
    assertTrue(last.contains("overlaps the shards of"), last);
    // The workers' own messages were forwarded under their labels.
    assertTrue(r.err().contains("[worker 1 (cpu, shard 1/2)] stiffness: "), r.err());
  }

  @Test
  void badDeviceListsAreRefusedBeforeAnythingRuns() {
    Path out = temp.resolve("m");
    for (String[] c :
        new String[][] {
          {"", "has an empty entry"},
          {"cpu,,cpu", "has an empty entry"},
          {"gpu0,", "has an empty entry"},
          {"cpu,tpu0", "unknown device 'tpu0': expected cpu, gpu or gpuN"},
        }) {
      Run r = measure(out, "--devices", c[0]);
      assertEquals(2, r.exitCode(), c[0]);
      assertTrue(r.err().contains("--devices '" + c[0] + "'") && r.err().contains(c[1]), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
    Run shard = measure(out, "--devices", "cpu,cpu", "--shard", "0/2");
    assertEquals(2, shard.exitCode());
    assertTrue(shard.err().contains("--devices and --shard exclude each other"), shard.err());
    assertEquals(1, shard.err().strip().lines().count(), shard.err());
    Run device = measure(out, "--devices", "cpu,cpu", "--device", "cpu");
    assertEquals(2, device.exitCode());
    assertTrue(device.err().contains("--devices and --device exclude each other"), device.err());
    assertFalse(Files.exists(out), "nothing written for bad input");
  }
}
