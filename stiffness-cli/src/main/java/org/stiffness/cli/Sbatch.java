package org.stiffness.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Slurm's sbatch and scontrol, run as child processes. */
final class Sbatch {
  private final String sbatch;
  private final String scontrol;

  /**
   * @param sbatch the sbatch executable (a name looked up on the PATH, or a path); scontrol is
   *     taken from the same directory
   */
  Sbatch(String sbatch) {
    this.sbatch = sbatch;
    Path parent = Path.of(sbatch).getParent();
    this.scontrol = parent == null ? "scontrol" : parent.resolve("scontrol").toString();
  }

  /** The result of one command: exit code and its stdout and stderr together. */
  record Result(int exitCode, String output) {}

  /**
   * Submits a script with {@code sbatch --parsable}, waiting for the job with {@code wait}.
   *
   * @return the job id sbatch printed
   */
  String submit(Path script, List<String> options, boolean wait) throws IOException {
    List<String> command = new ArrayList<>(List.of(sbatch, "--parsable"));
    if (wait) {
      command.add("--wait");
    }
    command.addAll(options);
    command.add(script.toString());
    Result r = run(command);
    // --parsable prints "id" or "id;cluster" on the first line.
    String first = r.output().strip().lines().findFirst().orElse("");
    Matcher m = Pattern.compile("^(\\d+)(;.*)?$").matcher(first);
    if (r.exitCode() != 0 || !m.matches()) {
      throw new IOException(
          "sbatch "
              + script
              + (wait ? " (waiting)" : "")
              + " exited with "
              + r.exitCode()
              + ": "
              + r.output().strip());
    }
    return m.group(1);
  }

  /**
   * The state and reason of a job while Slurm still remembers it (MinJobAge, 300 s by default,
   * after it ended), e.g. "COMPLETED None" or "CANCELLED DependencyNeverSatisfied".
   */
  Optional<String> state(String jobId) throws IOException {
    Result r = run(List.of(scontrol, "show", "job", "-o", jobId));
    Matcher s = Pattern.compile("JobState=(\\S+)").matcher(r.output());
    Matcher reason = Pattern.compile("Reason=(\\S+)").matcher(r.output());
    if (r.exitCode() != 0 || !s.find()) {
      return Optional.empty();
    }
    return Optional.of(s.group(1) + (reason.find() ? " " + reason.group(1) : ""));
  }

  private Result run(List<String> command) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          command.get(0) + " not found: Slurm's client commands must be on the PATH", e);
    }
    try {
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(p.waitFor(), output);
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + command.get(0) + " ran", e);
    }
  }
}
