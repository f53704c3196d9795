package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input, damaged files and impossible sizes: each refused with exit code and one line on stderr
 * naming what is wrong, nothing on stdout, and no earlier result changed.
 */
class BadInputTest {
  /** picocli's exit code for bad arguments. */
  private static final int BAD_ARGUMENTS = 2;

  @TempDir Path temp;

  /** A saved checkpoint of a small digits run, shared by the damaged-checkpoint cases. */
  @TempDir static Path shared;

  private static Path checkpoint;

  @BeforeAll
  static void saveACheckpoint() throws IOException {
    checkpoint =
        SavedCheckpoints.trainDigits(
            shared.resolve("vision"),
            "--train-size",
            "100",
            "--subset-size",
            "30",
            "--epochs",
            "1",
            "--block-size",
            "5");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--model, mlp",
    "--n, 1",
    "--n, 0",
    "--n, many",
    "--memory-budget, lots",
    "--memory-budget, -2g",
    "--precision, fp8",
    "--device, tpu0",
    "--path, fastest",
    "--repeats, 0",
    "--block-size, -4",
  })
  void badOptionValueFailsWithOneLineNamingIt(String option, String value) {
    String[] args =
        option.equals("--model")
            ? new String[] {"bench", option, value}
            : new String[] {"bench", "--model", "fc", option, value};
    Run run = Run.of(args);
    assertNotEquals(0, run.exitCode());
    assertOneLineNaming(run, value);
  }

  @Test
  void missingModelFailsWithOneLine() {
    Run run = Run.of("bench");
    assertNotEquals(0, run.exitCode());
    assertOneLineNaming(run, "--model");
  }

  @Test
  void unknownSubcommandFailsWithOneLine() {
    Run run = Run.of("benchmark");
    assertNotEquals(0, run.exitCode());
    assertOneLineNaming(run, "benchmark");
  }

  @Test
  void budgetTooSmallForOneExampleFailsWhileRunningWithOneLine() {
    Run run =
        Run.of("bench", "--model", "fc", "--n", "4", "--path", "probe", "--memory-budget", "1k");
    assertEquals(StiffnessCli.FAILED, run.exitCode());
    assertOneLineNaming(run, "1.00 KiB");
  }

  @Test
  void absentGpuFailsWithOneLine() {
    Run run = Run.of("bench", "--model", "fc", "--n", "4", "--device", "gpu7");
    assertNotEquals(0, run.exitCode());
    assertOneLineNaming(run, "gpu7");
  }

  @Test
  void versionAndHelpSucceed() {
    Run version = Run.of("--version");
    assertEquals(0, version.exitCode());
    assertTrue(version.out().startsWith("stiffness "), version.out());
    Run help = Run.of("bench", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--memory-budget"), help.out());
  }

  // Issue 19, case 7: a learning rate given twice used to train everything, then fail in the
  // charting library.
  @Test
  void aLearningRateGivenTwiceIsRefusedBeforeTraining() {
    Path out = temp.resolve("out");
    Run run =
        Run.of("vision", "--dataset", "digits", "--lr", "1e-3,0.001", "--out", out.toString());
    assertRefused(run, BAD_ARGUMENTS, "--lr names a learning rate twice");
    assertFalse(Files.exists(out));
  }

  // Case 7: "integer overflow" from a loss array sized by the step count.
  @Test
  void epochsBeyondWhatARunCanTakeAreRefusedNamingTheOption() {
    Path out = temp.resolve("out");
    Run run =
        Run.of("vision", "--dataset", "digits", "--epochs", "1000000000", "--out", out.toString());
    assertRefused(run, BAD_ARGUMENTS, "--epochs 1.0E9 is ", "more than the 2,147,483,639");
    assertFalse(Files.exists(out));
  }

  // Case 7: "integer overflow" at once, and "capacity < 0" after 36 s.
  @ParameterizedTest(name = "--n {0}")
  @ValueSource(strings = {"1000000000", "1000000"})
  void benchSizesBeyondOneInputBufferAreRefusedUpFront(String n) {
    Run run = Run.of("bench", "--model", "fc", "--path", "probe", "--n", n);
    // fc's inputs are 784 floats: 2^31 - 1 bytes hold 684,784 examples.
    assertRefused(run, BAD_ARGUMENTS, "--n must be at most 684,784 for fc", "got " + n);
  }

  // Case 5: (int) Math.round(100 * scale) wrapped to a 1-epoch overfitting run.
  @Test
  void reproduceScaleBeyondItsStatedMaximumIsRefused() {
    Path out = temp.resolve("out");
    Run run =
        Run.of(
            "reproduce", "--dataset", "digits", "--scale", "42949672.97", "--out", out.toString());
    assertRefused(run, BAD_ARGUMENTS, "--scale must be at most 1000", "4.294967297E7");
    assertFalse(Files.exists(out));
  }

  // Case 8: below the stated minimum, reproduce refuses the data instead of scaling down to it.
  @Test
  void reproduceRefusesADatasetBelowTheStatedMinimum() throws IOException {
    Path data = temp.resolve("data");
    IdxFixture.write(
        data.resolve("mnist"), IdxFixture.cycling(60, 10), IdxFixture.cycling(20, 10), 1);
    Path out = temp.resolve("out");
    Run run =
        Run.of(
            "reproduce",
            "--dataset",
            "digits",
            "--data-dir",
            data.toString(),
            "--out",
            out.toString());
    assertRefused(
        run,
        BAD_ARGUMENTS,
        data.resolve("mnist") + " holds 60 training examples, fewer than the 100");
    assertFalse(Files.exists(out));
  }

  // Case 4: a 0-byte CIFAR batch trained on the other four without a word.
  @Test
  void aCifarBatchOfAnyButTheStandardSizeIsRefusedNamingIt() throws IOException {
    Path cifar = Files.createDirectories(temp.resolve("cifar"));
    StringBuilder names = new StringBuilder();
    for (int k = 0; k < 10; k++) {
      names.append("class").append(k).append('\n');
    }
    Files.writeString(cifar.resolve("batches.meta.txt"), names);
    for (String batch :
        List.of(
            "data_batch_1.bin",
            "data_batch_2.bin",
            "data_batch_3.bin",
            "data_batch_4.bin",
            "data_batch_5.bin",
            "test_batch.bin")) {
      // The published size as a sparse file: nothing is written, and the size check comes first.
      try (RandomAccessFile f = new RandomAccessFile(cifar.resolve(batch).toFile(), "rw")) {
        f.setLength(batch.equals("data_batch_3.bin") ? 0 : 10_000L * 3073);
      }
    }
    Path out = temp.resolve("out");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "cifar10",
            "--data-dir",
            cifar.toString(),
            "--out",
            out.toString());
    assertRefused(
        run,
        StiffnessCli.FAILED,
        cifar.resolve("data_batch_3.bin") + ": expected 10000 records (30730000 bytes), found 0");
    assertFalse(Files.exists(out));
  }

  // Case 9: two of ten classes gave eight NaN rows in the class matrices, exit 0, no warning.
  @Test
  void aClassAbsentFromTheTrainingDataIsRefusedInOneLine() throws IOException {
    Path mnist =
        IdxFixture.write(
            temp.resolve("mnist"), IdxFixture.cycling(40, 2), IdxFixture.cycling(20, 10), 2);
    Path out = temp.resolve("out");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "mnist",
            "--data-dir",
            mnist.toString(),
            "--out",
            out.toString());
    assertRefused(
        run,
        BAD_ARGUMENTS,
        "mnist/train has no example of 8 of its 10 classes: 2 '2', 3 '3'",
        "--allow-missing-classes");
    assertFalse(Files.exists(out));
  }

  @Test
  void allowMissingClassesMeasuresWithAStatedWarningRecordedInTheSummary() throws IOException {
    Path mnist =
        IdxFixture.write(
            temp.resolve("mnist"), IdxFixture.cycling(40, 2), IdxFixture.cycling(20, 10), 2);
    Path out = temp.resolve("out");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "mnist",
            "--data-dir",
            mnist.toString(),
            "--allow-missing-classes",
            "--epochs",
            "1",
            "--points",
            "2",
            "--lr",
            "0.01",
            "--subset-size",
            "20",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.err()
            .contains(
                "stiffness: warning: mnist/train has no example of 8 of its 10 classes: 2 '2', 3"
                    + " '3', 4 '4', 5 '5', 6 '6', 7 '7', 8 '8', 9 '9': their rows and columns of"
                    + " the class matrices are NaN"),
        run.err());
    JsonNode absent =
        new ObjectMapper()
            .readTree(out.resolve("summary.json").toFile())
            .findValue("absent_classes");
    assertEquals("{\"mnist/train\":[2,3,4,5,6,7,8,9]}", absent.toString());
  }

  /** A copy of the shared checkpoint to damage, and the original's files to compare against. */
  private Path copyOfCheckpoint() throws IOException {
    Path copy = Files.createDirectories(temp.resolve("checkpoint"));
    try (Stream<Path> files = Files.list(checkpoint)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    return copy;
  }

  /** measure on a damaged copy: refused in one line, no output, the original untouched. */
  private void assertMeasureRefused(Path damaged, String... named) throws IOException {
    Map<String, byte[]> before = TreeFiles.read(checkpoint);
    Path out = temp.resolve("measured");
    Run run = SavedCheckpoints.measure(damaged, out);
    assertRefused(run, StiffnessCli.FAILED, named);
    assertFalse(Files.exists(out), "no output for a damaged checkpoint");
    Map<String, byte[]> after = TreeFiles.read(checkpoint);
    assertEquals(before.keySet(), after.keySet());
    before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
  }

  private static void truncate(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
  }

  private static void flipAByte(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    // Inside the last array's values, where a decoder sees nothing wrong: only the hash can tell.
    bytes[bytes.length - 200] ^= 0x01;
    Files.write(file, bytes);
  }

  // Case 7: "Invalid NDArray input" with no file named; a flipped byte was not caught at all.
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "parameters.npz, truncated",
    "parameters.npz, flipped",
    "subsets.npz, truncated",
    "subsets.npz, flipped"
  })
  void aDamagedCheckpointArrayFileIsCaughtByItsHashNamingIt(String name, String damage)
      throws IOException {
    Path copy = copyOfCheckpoint();
    if (damage.equals("truncated")) {
      truncate(copy.resolve(name));
    } else {
      flipAByte(copy.resolve(name));
    }
    assertMeasureRefused(
        copy,
        copy.resolve(name) + ": damaged or changed since it was saved: its SHA-256 is ",
        "checkpoint.json records ");
  }

  /** checkpoint.json without the hashes, as a stiffness before them wrote it. */
  private static void dropHashes(Path checkpointDir) throws IOException {
    Path json = checkpointDir.resolve("checkpoint.json");
    var root = (ObjectNode) new ObjectMapper().readTree(json.toFile());
    assertTrue(root.has("files"), "the checkpoint records its files' hashes");
    root.remove("files");
    Files.writeString(json, root.toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"parameters.npz", "subsets.npz"})
  void aTruncatedArrayFileOfAnOlderCheckpointIsNamed(String name) throws IOException {
    Path copy = copyOfCheckpoint();
    dropHashes(copy);
    truncate(copy.resolve(name));
    assertMeasureRefused(
        copy, copy.resolve(name) + ": not a readable .npz (", "truncated or damaged");
  }

  @Test
  void anOlderCheckpointWithoutHashesStillMeasures() throws IOException {
    Path copy = copyOfCheckpoint();
    dropHashes(copy);
    Run run = SavedCheckpoints.measure(copy, temp.resolve("measured"));
    assertEquals(0, run.exitCode(), run.err());
  }

  // Case 7: raw parser text.
  @Test
  void aTruncatedCheckpointJsonIsNamedWithWhereItEnds() throws IOException {
    Path copy = copyOfCheckpoint();
    truncate(copy.resolve("checkpoint.json"));
    assertMeasureRefused(
        copy, copy.resolve("checkpoint.json") + ": truncated JSON: it ends at line ");
  }

  // Case 7: decreasing bin edges gave no file name.
  @Test
  void decreasingBinEdgesNameTheFileAndTheField() throws IOException {
    Path copy = copyOfCheckpoint();
    Path json = copy.resolve("checkpoint.json");
    var root = (ObjectNode) new ObjectMapper().readTree(json.toFile());
    ((ObjectNode) root.get("statistics")).putArray("distance_bin_edges").add(0.0).add(1.0).add(0.5);
    Files.writeString(json, root.toString());
    assertMeasureRefused(
        copy,
        json
            + ": field 'statistics.distance_bin_edges': expected at least 2 finite, strictly"
            + " increasing edges, found [0.0, 1.0, 0.5]");
  }

  // Case 7: "Input length = 1".
  @Test
  void aBinaryClassGroupsFileIsNamedAsNotText() throws IOException {
    Path groups = temp.resolve("groups.bin");
    Files.write(groups, new byte[] {'e', 'v', 'e', 'n', ':', ' ', (byte) 0xff, (byte) 0xfe, 0});
    Path out = temp.resolve("out");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "digits",
            "--class-groups",
            groups.toString(),
            "--out",
            out.toString());
    assertRefused(run, StiffnessCli.FAILED, groups + ": not UTF-8 text (byte 6 is not)");
    assertFalse(Files.exists(out));
  }

  // Case 7: an InvalidPathException showing "??". In a UTF-8 locale a lone surrogate is the name
  // the character set cannot encode, as a non-ASCII name is under LANG=C.
  @Test
  void aPathTheLocaleCannotEncodeNamesLang() {
    String name = temp + "/r\uD800sultats"; // Path.of would refuse it here already
    Run run = Run.of("vision", "--dataset", "digits", "--out", name);
    assertRefused(
        run,
        BAD_ARGUMENTS,
        "--out",
        "cannot be a file name in this locale's character set",
        "LANG=C.UTF-8");
  }

  // Case 7: merge's missing-tile error was one 12 KB line.
  @Test
  void manyMissingTilesAreSummarisedWithTheFullListInAFile() throws IOException {
    Path out = temp.resolve("measured");
    Run shard = SavedCheckpoints.measure(checkpoint, out, "--shard", "0/4");
    assertEquals(0, shard.exitCode(), shard.err());
    Map<String, byte[]> before = TreeFiles.read(out);
    Run merge = Run.of("merge", out.toString());
    assertEquals(StiffnessCli.FAILED, merge.exitCode(), merge.err());
    // Besides merge's progress lines ("stiffness: merge: ..."), one line says what is wrong.
    List<String> errors =
        merge.err().strip().lines().filter(l -> !l.startsWith("stiffness: merge: ")).toList();
    assertEquals(1, errors.size(), merge.err());
    String err = errors.get(0);
    assertTrue(err.startsWith("stiffness: "), err);
    assertTrue(err.contains(" tiles are missing in "), err);
    assertTrue(err.contains("(of shards 1/4, 2/4, 3/4); the first 8: "), err);
    Path list = out.resolve("tiles").resolve("missing-tiles.txt");
    assertTrue(err.endsWith(" are listed in " + list), err);
    assertTrue(err.length() < 800, err.length() + " characters: " + err);
    List<String> listed = Files.readAllLines(list);
    assertTrue(err.contains("all " + listed.size() + " are listed"), err);
    Map<String, byte[]> after = TreeFiles.read(out);
    after.remove("tiles/missing-tiles.txt");
    assertEquals(before.keySet(), after.keySet(), "merge wrote no result");
  }

  // Case 7: `measure --out afile` printed only the path, and `--out ""` said it "exists and is not
  // empty".
  @Test
  void aFileOrAnEmptyPathAsOutIsNamedForWhatItIs() throws IOException {
    Path file = Files.writeString(temp.resolve("afile"), "mine");
    Run measure = SavedCheckpoints.measure(checkpoint, file);
    assertRefused(measure, 2, "--out " + file + " is a file, not a directory");
    assertEquals("mine", Files.readString(file), "the file is left as it was");

    Run empty = Run.of("demo", "--out", "");
    assertRefused(empty, 2, "--out is an empty path: give a directory");
  }

  // Case 7: a full disk gave "I/O error writing PNG file!", naming neither the disk nor the path.
  // A real full disk needs a tiny tmpfs, which only root can mount: elsewhere the test is skipped,
  // and AtomicFilesTest covers the same message with an injected failure.
  @Test
  void aFullDiskIsNamedWithThePathAndTheSystemsReason() throws Exception {
    Path disk = Files.createDirectories(temp.resolve("disk"));
    assumeTrue(
        command("mount", "-t", "tmpfs", "-o", "size=" + FULL_DISK_BYTES, "tmpfs", disk.toString())
            == 0,
        "mounting a tmpfs needs root");
    try {
      Path out = disk.resolve("out");
      Run run =
          Run.of(
              "vision",
              "--dataset",
              "digits",
              "--train-size",
              "100",
              "--subset-size",
              "30",
              "--points",
              "2",
              "--lr",
              "0.01",
              "--out",
              out.toString());
      // The run trains and reports progress before the disk fills: its last line is the error.
      assertEquals(StiffnessCli.FAILED, run.exitCode(), run.err());
      List<String> lines = run.err().strip().lines().toList();
      String last = lines.get(lines.size() - 1);
      // The first file the full disk refuses names itself: the training state or a result.
      assertTrue(last.startsWith("stiffness: cannot "), last);
      assertTrue(last.contains(" " + out + "/"), last);
      assertTrue(last.endsWith(": No space left on device"), last);
      assertFalse(Files.exists(out.resolve("summary.json")), "no summary presented as complete");
    } finally {
      assertEquals(0, command("umount", disk.toString()), "unmounting " + disk);
    }
  }

  /** Room for the summary and the matrices of the run above, not for its plots too. */
  private static final String FULL_DISK_BYTES = "64k";

  private static int command(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  /** Exit code, one line on stderr starting "stiffness: " naming each of {@code named}. */
  private static void assertRefused(Run run, int exitCode, String... named) {
    assertEquals(exitCode, run.exitCode(), run.err());
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), "expected one line on stderr, got:\n" + err);
    assertTrue(err.startsWith("stiffness: "), err);
    for (String n : named) {
      assertTrue(err.contains(n), "message does not name '" + n + "': " + err);
    }
    assertTrue(run.out().isEmpty(), "nothing on stdout, got:\n" + run.out());
  }

  private static void assertOneLineNaming(Run run, String value) {
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), "expected one line on stderr, got:\n" + err);
    assertTrue(err.startsWith("stiffness: "), err);
    assertTrue(err.contains(value), "message does not name '" + value + "': " + err);
    assertTrue(run.out().isEmpty(), "nothing on stdout, got:\n" + run.out());
  }
}
