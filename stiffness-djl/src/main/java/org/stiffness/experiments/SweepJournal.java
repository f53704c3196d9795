package org.stiffness.experiments;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.stiffness.io.JsonSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * The state of a {@link LearningRateSweep} saved at each measured checkpoint, so that an
 * interrupted sweep continues from its last complete checkpoint with results bitwise equal to an
 * uninterrupted one: the finished runs, the checkpoints measured so far of the current run, and its
 * {@link TrainingState}.
 *
 * <p>One file, replaced atomically (written beside it, forced to disk, renamed over it): a kill at
 * any moment leaves either the previous state or the new one, never a mixture.
 */
public final class SweepJournal {
  /** The first line of a journal file. */
  static final String FORMAT = "stiffness-sweep-journal/1";

  private final Path file;

  /**
   * @param file where the journal is kept (need not exist yet)
   */
  public SweepJournal(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /** Where the journal is kept. */
  public Path file() {
    return file;
  }

  /**
   * What a sweep saved.
   *
   * @param learningRates the sweep's learning rates, one run each
   * @param totalSteps the optimiser steps of each run
   * @param done the finished runs, in order
   * @param currentRun the index of the run under way, or -1 between runs
   * @param checkpoints the current run's checkpoints measured so far
   * @param state the current run's training state, or null between runs
   */
  record Saved(
      List<Double> learningRates,
      long totalSteps,
      List<Run> done,
      int currentRun,
      List<Checkpoint> checkpoints,
      TrainingState state) {
    Saved {
      learningRates = List.copyOf(learningRates);
      done = List.copyOf(done);
      checkpoints = List.copyOf(checkpoints);
    }

    /** Checkpoints measured in all, finished runs included. */
    int measured() {
      return done.stream().mapToInt(r -> r.checkpoints().size()).sum() + checkpoints.size();
    }
  }

  /**
   * One line saying where a resumed sweep continues from ("run 2 of 3 (lr=0.01) at step 40, 7
   * checkpoints measured"), or empty when nothing was saved yet.
   *
   * @param runs the number of runs of the sweep
   * @throws IOException when the journal exists but cannot be read
   */
  public Optional<String> describe(int runs) throws IOException {
    Optional<Saved> saved = read();
    if (saved.isEmpty()) {
      return Optional.empty();
    }
    Saved s = saved.get();
    String where =
        s.state() == null
            ? s.done().size() + " of " + runs + " runs finished"
            : String.format(
                Locale.ROOT, "run %d of %d at step %d", s.currentRun() + 1, runs, s.state().step());
    return Optional.of(where + ", " + s.measured() + " checkpoints measured");
  }

  /**
   * The saved state, or empty when there is no journal yet.
   *
   * @throws IOException naming the file when it is not a journal or is damaged
   */
  Optional<Saved> read() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      String format = in.readUTF();
      if (!FORMAT.equals(format)) {
        throw new IOException(file + ": not a sweep journal (expected " + FORMAT + ")");
      }
      byte[] json = in.readNBytes(in.readInt());
      ObjectMapper mapper = JsonSummary.mapper();
      JsonNode tree = mapper.readTree(new String(json, StandardCharsets.UTF_8));
      List<Double> learningRates =
          mapper.convertValue(tree.get("learning_rates"), new TypeReference<List<Double>>() {});
      long totalSteps = tree.get("total_steps").asLong();
      List<Run> done = mapper.convertValue(tree.get("done"), new TypeReference<List<Run>>() {});
      int current = tree.get("current_run").asInt();
      List<Checkpoint> checkpoints =
          mapper.convertValue(tree.get("checkpoints"), new TypeReference<List<Checkpoint>>() {});
      TrainingState state = in.readBoolean() ? TrainingState.read(in) : null;
      return Optional.of(new Saved(learningRates, totalSteps, done, current, checkpoints, state));
    } catch (EOFException | RuntimeException e) {
      throw new IOException(file + ": damaged sweep journal (" + e + ")", e);
    }
  }

  /** Replaces the journal with {@code saved}, atomically. */
  void write(Saved saved) throws IOException {
    ObjectMapper mapper = JsonSummary.mapper();
    ObjectNode tree = mapper.createObjectNode();
    // NaN stays NaN here (Jackson writes it as a string): a summary writes it as null, but the
    // journal must give back exactly what was measured.
    tree.set("learning_rates", mapper.valueToTree(saved.learningRates()));
    tree.put("total_steps", saved.totalSteps());
    tree.set("done", mapper.valueToTree(saved.done()));
    tree.put("current_run", saved.currentRun());
    tree.set("checkpoints", mapper.valueToTree(saved.checkpoints()));
    byte[] json = mapper.writeValueAsBytes(tree);
    Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream stream = Channels.newOutputStream(channel);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
      out.writeUTF(FORMAT);
      out.writeInt(json.length);
      out.write(json);
      out.writeBoolean(saved.state() != null);
      if (saved.state() != null) {
        saved.state().write(out);
      }
      out.flush();
      // On disk before it replaces the old one: a crash of the machine, not only of the process,
      // must leave a whole journal.
      channel.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      // The system's words ("No space left on device"), not the exception's class name.
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IOException("cannot save the training state to " + file + ": " + reason, e);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
