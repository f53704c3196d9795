package org.stiffness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.stiffness.experiments.SweepJournal;
import org.stiffness.experiments.TiledMeasurement;
import org.stiffness.io.JsonSummary;

/**
 * The one rule by which every command writes its results: {@code --out} may be missing, empty (a
 * mount point or a symbolic link to an empty directory included), or, for {@code measure} and
 * {@code merge}, a directory of the same measurement; anything else is refused in one line before
 * any work.
 *
 * <p>Work goes to {@code .partial/results} inside the real target directory (symbolic links
 * resolved), and {@link #commit()} moves each finished entry out of it into the target, {@code
 * summary.json} (or {@code influence.json}) and the reports last, so that their presence means the
 * rest is there. The target itself is never renamed or removed: it may be a mount point (a bind
 * mount, a tmpfs, Docker's {@code -v host:/out}), which cannot be, or a link whose target must
 * receive the results.
 *
 * <p>{@code .partial} also holds what an interrupted run needs to continue: the command that made
 * it ({@value #COMMAND}) and, for a resumable run, the sweep's journal ({@value #JOURNAL}). A rerun
 * of the same command continues there; a rerun of another command is refused, naming the option
 * that differs.
 */
final class OutputDirectory implements AutoCloseable {
  /** The staging area inside the target. */
  static final String PARTIAL = ".partial";

  /** The command that made the staging area, in it. */
  static final String COMMAND = "command.json";

  /** The resumable sweep's state, in the staging area. */
  static final String JOURNAL = "journal";

  private static final String RESULTS = "results";

  /** A measurement directory may hold the batch scripts stiffness slurm wrote for it. */
  private static final String SLURM = "slurm";

  private final Path requested;
  private final Path target;
  private final Path partial;
  private final boolean createdTarget;
  private final boolean replaces;
  private boolean committed;

  private OutputDirectory(Path requested, Path target, boolean createdTarget, boolean replaces) {
    this.requested = requested;
    this.target = target;
    this.partial = target.resolve(PARTIAL);
    this.createdTarget = createdTarget;
    this.replaces = replaces;
  }

  /**
   * The output directory of a command that makes a new set of results ({@code vision}, {@code nlp},
   * {@code reproduce}, {@code demo}).
   *
   * @param out {@code --out} as given
   * @param identity the command and its options, recorded for a rerun to compare
   * @param resumable whether an interrupted run of the same command continues from its staging
   *     area; otherwise an earlier staging area of the same command is cleared
   * @throws IllegalArgumentException in one line, when {@code out} is a file, not empty, or holds
   *     an interrupted run of another command
   * @throws IOException when the directory cannot be created or written
   */
  static OutputDirectory create(Path out, CommandIdentity identity, boolean resumable)
      throws IOException {
    checkPath(out);
    List<String> entries = entries(out);
    if (!entries.isEmpty()) {
      throw new IllegalArgumentException(
          "--out "
              + out
              + " is not empty (it holds "
              + listed(entries)
              + "): choose a new or empty directory");
    }
    boolean created = !Files.exists(out);
    Path target = realDirectory(out);
    OutputDirectory d = new OutputDirectory(out, target, created, false);
    Optional<CommandIdentity> earlier = d.recordedCommand();
    if (earlier.isPresent()) {
      Optional<String> difference = identity.difference(earlier.get());
      if (difference.isPresent()) {
        throw new IllegalArgumentException(
            "--out "
                + out
                + " holds an interrupted run of another command ("
                + difference.get()
                + "): rerun that command to continue it, or choose another --out");
      }
    }
    if (earlier.isEmpty() || !resumable || !d.resuming()) {
      // A staging area without its command was left by a run killed before it began; one of a
      // command that cannot resume, or without a journal, holds nothing to continue from.
      deleteTree(d.partial);
    }
    Files.createDirectories(d.results());
    JsonSummary.write(d.partial.resolve(COMMAND), identity.toJson());
    return d;
  }

  /**
   * The directory {@code merge} writes into: a measurement directory, whose earlier merge results
   * the new ones replace once complete.
   *
   * @throws IllegalArgumentException when {@code dir} is not a measurement directory
   */
  static OutputDirectory forMerge(Path dir) throws IOException {
    checkPath(dir);
    if (!Files.isRegularFile(dir.resolve(TiledMeasurement.FILE))) {
      throw new IllegalArgumentException(
          dir
              + " holds no "
              + TiledMeasurement.FILE
              + ": not a directory written by stiffness measure");
    }
    Path target = realDirectory(dir);
    OutputDirectory d = new OutputDirectory(dir, target, false, true);
    deleteTree(d.partial);
    Files.createDirectories(d.results());
    return d;
  }

  /**
   * Checks the {@code --out} of {@code measure} and {@code slurm}: missing, empty, holding only the
   * batch scripts of stiffness slurm, or a measurement directory (whose configuration {@link
   * TiledMeasurement#measure} then checks against the checkpoint's).
   *
   * @throws IllegalArgumentException in one line otherwise
   */
  static void checkMeasurement(Path out) throws IOException {
    checkPath(out);
    if (Files.isRegularFile(out.resolve(TiledMeasurement.FILE))) {
      return;
    }
    List<String> entries = entries(out);
    entries.remove(SLURM);
    // The temporary from which the first of several shards starting together links
    // measurement.json: another shard may see it before the link exists.
    entries.removeIf(n -> n.startsWith("." + TiledMeasurement.FILE + ".") && n.endsWith(".tmp"));
    if (!entries.isEmpty()) {
      throw new IllegalArgumentException(
          "--out "
              + out
              + " is not a measurement directory (it holds "
              + listed(entries)
              + " and no "
              + TiledMeasurement.FILE
              + "): measure into a new or empty directory, or into one of an earlier measure of"
              + " the same checkpoint");
    }
  }

  /** Where the work is written until {@link #commit()}. */
  Path path() {
    return partial.resolve(RESULTS);
  }

  /** The journal of a resumable sweep, kept in the staging area until {@link #commit()}. */
  SweepJournal journal() {
    return new SweepJournal(partial.resolve(JOURNAL));
  }

  /**
   * One line saying what an interrupted resumable run keeps and how to continue it.
   *
   * @param runs the runs of the sweep
   */
  String keptLine(int runs) {
    Optional<String> saved;
    try {
      saved = journal().describe(runs);
    } catch (IOException e) {
      saved = Optional.empty();
    }
    if (saved.isEmpty()) {
      return "stiffness: stopped before the first checkpoint was measured; nothing to continue"
          + " from (the same command starts over)";
    }
    return "stiffness: stopped; kept "
        + saved.get()
        + " in "
        + partial
        + ": run the same command again to continue from there";
  }

  /**
   * Moves the finished work into the target directory and returns the directory as requested.
   *
   * @throws IOException when another process filled the target meanwhile (the work stays in the
   *     staging area)
   */
  Path commit() throws IOException {
    Path results = path();
    if (!replaces) {
      List<String> others = entries(target);
      if (!others.isEmpty()) {
        throw new IOException(
            target + " was filled while the command ran; the results stay in " + results);
      }
    }
    List<Path> finished;
    try (Stream<Path> s = Files.list(results)) {
      // summary.json (influence.json) and the reports last: they say that the rest is complete.
      finished =
          s.sorted(Comparator.comparing((Path p) -> isMarker(p)).thenComparing(Path::toString))
              .toList();
    }
    for (Path p : finished) {
      Path to = target.resolve(p.getFileName().toString());
      if (replaces) {
        deleteTree(to);
      }
      Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
    }
    committed = true;
    deleteTree(partial);
    return requested;
  }

  private static boolean isMarker(Path p) {
    String name = p.getFileName().toString();
    return name.equals("summary.json")
        || name.equals(InfluenceRun.SUMMARY)
        || name.endsWith(".html");
  }

  /**
   * Removes unfinished work, unless it holds a resumable run's saved state; and the target, when
   * this command created it and it stayed empty.
   */
  @Override
  public void close() throws IOException {
    if (committed) {
      return;
    }
    if (!Files.exists(partial.resolve(JOURNAL))) {
      deleteTree(partial);
      if (createdTarget && entries(target).isEmpty()) {
        Files.deleteIfExists(target);
      }
    }
  }

  /** Whether the staging area holds a run's saved state to continue from. */
  boolean resuming() {
    return Files.exists(partial.resolve(JOURNAL));
  }

  private Optional<CommandIdentity> recordedCommand() {
    Path file = partial.resolve(COMMAND);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(CommandIdentity.fromJson(JsonSummary.mapper().readTree(file.toFile())));
    } catch (IOException e) {
      return Optional.empty(); // cut short by a kill while it was written: nothing began
    }
  }

  private Path results() {
    return path();
  }

  private static void checkPath(Path out) {
    if (out.toString().isEmpty()) {
      throw new IllegalArgumentException("--out is an empty path: give a directory");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
    }
    if (Files.isSymbolicLink(out) && !Files.exists(out)) {
      throw new IllegalArgumentException(
          "--out " + out + " is a symbolic link to a missing directory: create it first");
    }
  }

  /** The directory {@code out} names, created if missing, with its links resolved. */
  private static Path realDirectory(Path out) throws IOException {
    try {
      Files.createDirectories(out);
      return out.toRealPath();
    } catch (IOException e) {
      throw new IOException("cannot write the output directory " + out + ": " + e, e);
    }
  }

  /** The names in {@code dir} other than the staging area; empty when it does not exist. */
  private static List<String> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return new ArrayList<>();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(
          s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(PARTIAL)).sorted().toList());
    }
  }

  private static String listed(List<String> names) {
    return names.size() <= 3
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(root)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
