package org.stiffness.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shard {@code i} of {@code k}: the jobs (tiles, numbered across all pairings of a measurement)
 * whose number is {@code i} modulo {@code k}. Round robin rather than contiguous ranges because
 * tiles of one row block are computed together: interleaving gives every shard a similar mix of
 * rows, so shards take similar times. The k shards of one {@code k} partition the jobs: each job
 * belongs to exactly one shard.
 *
 * @param index i, in {@code [0, k)}
 * @param count k, at least 1
 */
public record Shard(int index, int count) {
  private static final Pattern SPEC = Pattern.compile("\\s*(-?\\d+)\\s*/\\s*(-?\\d+)\\s*");

  /** Every job in one process. */
  public static final Shard ALL = new Shard(0, 1);

  /**
   * @throws IllegalArgumentException unless {@code 0 <= index < count}
   */
  public Shard {
    if (count < 1) {
      throw new IllegalArgumentException(
          "shard " + index + "/" + count + ": the shard count k must be at least 1");
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "shard "
              + index
              + "/"
              + count
              + ": the shard index i must be in 0.."
              + (count - 1)
              + " (shards are numbered from 0)");
    }
  }

  /**
   * Parses {@code i/k}.
   *
   * @throws IllegalArgumentException naming the text and what was expected
   */
  public static Shard parse(String text) {
    Matcher m = SPEC.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "shard '" + text + "' is not of the form i/k (for example 0/4, shards 0..k-1 of k)");
    }
    try {
      return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("shard '" + text + "': numbers too large", e);
    }
  }

  /**
   * The shard of a Slurm array task, from {@code SLURM_ARRAY_TASK_ID}, {@code
   * SLURM_ARRAY_TASK_MIN}, {@code SLURM_ARRAY_TASK_STEP} (1 if absent) and {@code
   * SLURM_ARRAY_TASK_COUNT} (or {@code MAX}): task {@code id} is shard {@code (id - min) / step} of
   * {@code count}. Empty when the process is not an array task.
   *
   * @throws IllegalArgumentException when the variables do not describe a regular array (a task
   *     list such as {@code 1,3,7}), naming them
   */
  public static Optional<Shard> fromSlurm(Map<String, String> environment) {
    String id = environment.get("SLURM_ARRAY_TASK_ID");
    if (id == null || id.isBlank()) {
      return Optional.empty();
    }
    long task = number(environment, "SLURM_ARRAY_TASK_ID", null);
    long min = number(environment, "SLURM_ARRAY_TASK_MIN", "0");
    long step = number(environment, "SLURM_ARRAY_TASK_STEP", "1");
    long count;
    if (environment.containsKey("SLURM_ARRAY_TASK_COUNT")) {
      count = number(environment, "SLURM_ARRAY_TASK_COUNT", null);
    } else {
      long max = number(environment, "SLURM_ARRAY_TASK_MAX", null);
      count = step < 1 ? 0 : (max - min) / step + 1;
    }
    long offset = task - min;
    if (step < 1 || offset < 0 || offset % step != 0 || offset / step >= count) {
      throw new IllegalArgumentException(
          "the Slurm array (SLURM_ARRAY_TASK_ID="
              + task
              + ", MIN="
              + min
              + ", STEP="
              + step
              + ", COUNT="
              + count
              + ") is not a regular range: give the shard with --shard i/k");
    }
    return Optional.of(new Shard(Math.toIntExact(offset / step), Math.toIntExact(count)));
  }

  private static long number(Map<String, String> environment, String name, String fallback) {
    String text = environment.getOrDefault(name, fallback);
    if (text == null) {
      throw new IllegalArgumentException(
          name + " is not set, but SLURM_ARRAY_TASK_ID is: give the shard with --shard i/k");
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "='" + text + "' is not an integer", e);
    }
  }

  /** Whether job number {@code job} belongs to this shard. */
  public boolean holds(int job) {
    return job % count == index;
  }

  /** {@code i/k}. */
  @Override
  public String toString() {
    return index + "/" + count;
  }
}
