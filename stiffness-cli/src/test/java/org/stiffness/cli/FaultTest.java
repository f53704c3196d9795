package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults that used to lose or spoil results (issue 19): an output directory that is a run of
 * another command, a mount point or a symbolic link; a training run killed by SIGKILL or stopped by
 * SIGTERM; a Slurm task warned of its time limit. Each asserts the exit code, the one line, and
 * that no earlier result changed. The oracle of a resumed run is the same run uninterrupted, byte
 * for byte.
 */
class FaultTest {
  /** One epoch of 41 steps, 60-example subsets. */
  private static final List<String> TINY =
      List.of("vision", "--dataset", "digits", "--epochs", "1", "--subset-size", "60");

  /** Two learning rates of three checkpoints each (steps 0, 5 and 41). */
  private static final List<String> TWO_RATES = List.of("--points", "3", "--lr", "1e-3,1e-2");

  /** One learning rate, two checkpoints. */
  private static final List<String> ONE_RATE = List.of("--points", "2", "--lr", "1e-3");

  @TempDir static Path shared;
  @TempDir Path temp;

  /** The uninterrupted run that every interrupted one must end equal to. */
  private static Path uninterrupted;

  @BeforeAll
  static void runUninterrupted() {
    uninterrupted = shared.resolve("uninterrupted");
    Run run = vision(uninterrupted, TWO_RATES);
    assertEquals(0, run.exitCode(), run.err());
  }

  private static Run vision(Path out, List<String> rates) {
    return Run.of(visionArgs(out, rates).toArray(String[]::new));
  }

  /** The command line of a child JVM running stiffness with {@code properties} ({@code -D...}). */
  private static List<String> child(List<String> properties, List<String> args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-Dai.djl.offline=true"));
    command.addAll(properties);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add("org.stiffness.cli.StiffnessCli");
    command.addAll(args);
    return command;
  }

  private static List<String> visionArgs(Path out, List<String> rates) {
    List<String> args = new ArrayList<>(TINY);
    args.addAll(rates);
    args.addAll(List.of("--out", out.toString()));
    return args;
  }

  /** Starts a vision run that pauses once its {@code n}-th checkpoint is measured, and waits. */
  private Process pausedAt(int n, Path out, Path log) throws Exception {
    Process p =
        new ProcessBuilder(
                child(List.of("-D" + FaultInjection.PAUSE + "=" + n), visionArgs(out, TWO_RATES)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (!Files.readString(log).contains(FaultInjection.PAUSED + n)) {
      assertTrue(
          p.isAlive(), "the run ended before checkpoint " + n + ": " + Files.readString(log));
      assertTrue(Instant.now().isBefore(deadline), "no pause: " + Files.readString(log));
      Thread.sleep(20);
    }
    return p;
  }

  @Test
  void visionKilledMidRunAndRerunEndsBitwiseAsTheUninterruptedRun() throws Exception {
    Path out = temp.resolve("killed");
    // Checkpoint 6 is the last of the second run: killed there, the state of its step 5 is the
    // last complete one, so the rerun trains the second learning rate from the middle.
    Process p = pausedAt(6, out, temp.resolve("child.log"));
    p.destroyForcibly(); // SIGKILL on Linux: nothing of the process runs after it
    assertEquals(137, p.waitFor());
    assertFalse(Files.exists(out.resolve("summary.json")), "nothing looks complete");

    Run rerun = vision(out, TWO_RATES);
    assertEquals(0, rerun.exitCode(), rerun.err());
    assertTrue(
        rerun
            .err()
            .contains(
                "stiffness: continuing the interrupted run in "
                    + out
                    + " (run 2 of 2 at step 5, 5 checkpoints measured)"),
        rerun.err());
    Map<String, byte[]> expected = results(uninterrupted);
    Map<String, byte[]> actual = results(out);
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
    assertFalse(Files.exists(out.resolve(OutputDirectory.PARTIAL)), "the staging area is gone");
  }

  /** summary.json and the matrices: what a rerun must give bit for bit. */
  private static Map<String, byte[]> results(Path dir) throws IOException {
    Map<String, byte[]> all = TreeFiles.read(dir);
    all.keySet().removeIf(k -> !(k.equals("summary.json") || k.endsWith(".npy")));
    assertTrue(all.size() > 10, all.keySet().toString());
    return all;
  }

  @Test
  void sigtermEndsWithOneLineSayingWhatWasKeptAndARerunWithOtherOptionsIsRefused()
      throws Exception {
    Path out = temp.resolve("stopped");
    Path log = temp.resolve("child.log");
    // Checkpoint 5 is the second run's step 5: measured, its state not yet saved.
    Process p = pausedAt(5, out, log);
    p.destroy(); // SIGTERM
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(143, p.exitValue());
    List<String> lines = Files.readString(log).strip().lines().toList();
    assertEquals(
        "stiffness: stopped; kept run 2 of 2 at step 0, 4 checkpoints measured in "
            + out.toRealPath().resolve(OutputDirectory.PARTIAL)
            + ": run the same command again to continue from there",
        lines.get(lines.size() - 1));

    Map<String, byte[]> kept = TreeFiles.read(out);
    Run other = vision(out, List.of("--points", "3", "--lr", "1e-3,3e-2"));
    assertEquals(2, other.exitCode(), other.err());
    assertEquals(
        "stiffness: --out "
            + out
            + " holds an interrupted run of another command (--lr is [0.001,0.03] now,"
            + " [0.001,0.01] there): rerun that command to continue it, or choose another --out",
        other.err().strip());
    assertEquals(kept.keySet(), TreeFiles.read(out).keySet(), "the kept state is untouched");
  }

  @Test
  void measureIntoAnExistingRunIsRefusedUpFrontAndTheRunIsUnchanged() throws IOException {
    Path run = temp.resolve("ck");
    Path last = SavedCheckpoints.trainDigits(run, "--subset-size", "40", "--epochs", "1");
    Map<String, byte[]> before = TreeFiles.read(run);

    Run measure = SavedCheckpoints.measure(last, run);
    assertEquals(2, measure.exitCode(), measure.err());
    assertEquals(1, measure.err().strip().lines().count(), measure.err());
    assertTrue(
        measure.err().contains("--out " + run + " is not a measurement directory (it holds"),
        measure.err());
    Run merge = Run.of("merge", run.toString());
    assertEquals(1, merge.exitCode(), merge.err());
    assertTrue(merge.err().contains("holds no measurement.json"), merge.err());
    assertTrees(before, TreeFiles.read(run));

    // Into the directory of another checkpoint's measurement: refused by its configuration.
    Path first;
    try (Stream<Path> steps = Files.list(last.getParent())) {
      first = steps.sorted().findFirst().orElseThrow();
    }
    Path measured = temp.resolve("m");
    assertEquals(0, SavedCheckpoints.measure(last, measured).exitCode());
    assertEquals(0, Run.of("merge", measured.toString()).exitCode());
    Map<String, byte[]> merged = TreeFiles.read(measured);
    Run foreign = SavedCheckpoints.measure(first, measured);
    assertEquals(1, foreign.exitCode(), foreign.err());
    assertTrue(foreign.err().contains("holds tiles of configuration"), foreign.err());
    assertTrees(merged, TreeFiles.read(measured));
  }

  private static void assertTrees(Map<String, byte[]> expected, Map<String, byte[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
  }

  @Test
  void symlinkToAnEmptyDirectoryAsOutReceivesTheRunAndStaysALink() throws IOException {
    Path target = Files.createDirectories(temp.resolve("target"));
    Path link = Files.createSymbolicLink(temp.resolve("link"), target);
    Run run = vision(link, ONE_RATE);
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(Files.isSymbolicLink(link), "the link is still a link");
    assertTrue(Files.isRegularFile(target.resolve("summary.json")));
    assertTrue(Files.isRegularFile(target.resolve("report.html")));
    assertFalse(Files.exists(target.resolve(OutputDirectory.PARTIAL)));
    try (Stream<Path> s = Files.list(temp)) {
      assertEquals(2, s.count(), "nothing beside the link and its target");
    }
  }

  @Test
  void bindMountAndTmpfsAsOutReceiveTheRun() throws Exception {
    assumeTrue(
        mountsWithoutRoot(),
        "this machine does not let an unprivileged user namespace mount (unshare -rm), so no"
            + " mount point can be made for --out");
    Path source = Files.createDirectories(temp.resolve("source"));
    Path mountPoint = Files.createDirectories(temp.resolve("mnt"));
    String vision = String.join(" ", quoted(child(List.of(), visionArgs(mountPoint, ONE_RATE))));
    Process bind =
        new ProcessBuilder(
                "unshare",
                "-rm",
                "sh",
                "-c",
                "mount --bind '" + source + "' '" + mountPoint + "' && exec " + vision)
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("bind.log").toFile())
            .start();
    assertEquals(0, bind.waitFor(), Files.readString(temp.resolve("bind.log")));
    // The results went through the mount into its source, and the mount point was never replaced.
    assertTrue(Files.isRegularFile(source.resolve("summary.json")));
    assertFalse(Files.exists(source.resolve(OutputDirectory.PARTIAL)));
    try (Stream<Path> s = Files.list(mountPoint)) {
      assertEquals(0, s.count(), "the mount point itself stays an empty directory");
    }

    // A tmpfs lives only as long as its namespace: list it from inside.
    Process tmpfs =
        new ProcessBuilder(
                "unshare",
                "-rm",
                "sh",
                "-c",
                "mount -t tmpfs none '"
                    + mountPoint
                    + "' && "
                    + vision
                    + " && echo listing: $(ls -A '"
                    + mountPoint
                    + "')")
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("tmpfs.log").toFile())
            .start();
    assertEquals(0, tmpfs.waitFor(), Files.readString(temp.resolve("tmpfs.log")));
    assertTrue(
        Files.readString(temp.resolve("tmpfs.log"))
            .contains("listing: matrices plots report.html summary.json"),
        Files.readString(temp.resolve("tmpfs.log")));
  }

  private static List<String> quoted(List<String> words) {
    return words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList();
  }

  private boolean mountsWithoutRoot() throws InterruptedException {
    try {
      Path probe = Files.createDirectories(temp.resolve("probe"));
      Process p =
          new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs none '" + probe + "'")
              .redirectErrorStream(true)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false; // no unshare
    }
  }

  @Test
  void slurmMeasureTaskStopsItsShardAndRequeuesItselfOnTheTimeLimitWarning() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path calls = temp.resolve("calls.log");
    executable(bin.resolve("scontrol"), "#!/bin/bash\necho \"scontrol $*\" >> '" + calls + "'\n");
    // A shard that runs until told, and says how it ended.
    Path launcher =
        executable(
            temp.resolve("stiffness"),
            "#!/bin/bash\n"
                + "trap 'echo \"shard got TERM\" >> \""
                + calls
                + "\"; exit 143' TERM\n"
                + "echo \"shard $*\" >> '"
                + calls
                + "'\n"
                + "while true; do sleep 0.05; done\n");
    Path out = temp.resolve("m");
    SlurmScripts scripts =
        new SlurmScripts(launcher, temp.resolve("ck"), out, 2, null, "1:00:00", 0);
    Path script = Files.writeString(temp.resolve("measure.sbatch"), scripts.measure());
    ProcessBuilder task =
        new ProcessBuilder("bash", script.toString())
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("task.log").toFile());
    task.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    task.environment().put("SLURM_JOB_ID", "4242");
    Process p = task.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (!Files.exists(calls) || !Files.readString(calls).contains("shard measure")) {
      assertTrue(Instant.now().isBefore(deadline) && p.isAlive(), "the shard did not start");
      Thread.sleep(20);
    }
    p.destroy(); // what --signal=B:TERM@120 sends the batch shell
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(temp.resolve("task.log")));
    assertEquals(
        List.of(
            "shard measure --checkpoint " + temp.resolve("ck") + " --out " + out,
            "shard got TERM",
            "scontrol requeue 4242"),
        Files.readAllLines(calls, StandardCharsets.UTF_8),
        "the shard is stopped before the task is requeued");
    assertTrue(
        Files.readString(temp.resolve("task.log"))
            .contains("stiffness: task 4242 stopped by SIGTERM: its finished tiles are kept"),
        Files.readString(temp.resolve("task.log")));
  }

  private static Path executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
