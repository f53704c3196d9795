package org.stiffness.jobs;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.stiffness.io.JsonRecords;
import org.stiffness.io.JsonSummary;

/**
 * What one shard's run cost, kept next to its tiles so that the merged summary can state the time
 * and memory of a measurement spread over many processes: {@code DIR/shards/shard-i-of-k.json},
 * written atomically when the shard finishes. A rerun of the shard replaces it: after a resume, the
 * figures are those of the run that finished (its {@code tiles_skipped} counts what earlier runs
 * had done).
 *
 * @param shard {@code i/k}
 * @param device the device the tiles were computed on
 * @param host the machine ({@code HOSTNAME}, else "unknown")
 * @param seconds wall time of the shard's tiles (planning, computing and writing them; loading the
 *     checkpoint and starting the JVM not included)
 * @param peakRssBytes the process's peak resident memory, or -1 where it cannot be read
 * @param tilesComputed tiles computed for the first time
 * @param tilesRecomputed corrupt tiles computed again
 * @param tilesSkipped tiles already there and verified
 * @param gradientSeconds of {@code seconds}, forward/backward passes and operand preparation
 * @param productSeconds of {@code seconds}, Gram products
 * @param statisticsSeconds of {@code seconds}, reducing the tiles to sums (input distances
 *     included)
 * @param distanceSeconds of {@code statisticsSeconds}, making the input distances
 * @param bytesWritten bytes of the tile files this run wrote (sums, and Gram tiles if saved)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ShardReport(
    String shard,
    String device,
    String host,
    double seconds,
    long peakRssBytes,
    int tilesComputed,
    int tilesRecomputed,
    int tilesSkipped,
    double gradientSeconds,
    double productSeconds,
    double statisticsSeconds,
    double distanceSeconds,
    long bytesWritten) {

  static final String DIRECTORY = "shards";

  /** The file of {@code shard} under a measurement directory. */
  public static Path file(Path measurementDir, Shard shard) {
    return measurementDir
        .resolve(DIRECTORY)
        .resolve(String.format(Locale.ROOT, "shard-%d-of-%d.json", shard.index(), shard.count()));
  }

  /** The host name a report records. */
  public static String hostName() {
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? "unknown" : host;
  }

  /** Writes this report atomically to {@link #file}. */
  public void write(Path measurementDir) throws IOException {
    Path target = file(measurementDir, Shard.parse(shard));
    Files.createDirectories(target.getParent());
    JsonSummary.write(target, this);
  }

  /**
   * The reports under a measurement directory, in shard order.
   *
   * @throws IOException naming the report file and the field that is missing or malformed
   */
  public static List<ShardReport> readAll(Path measurementDir) throws IOException {
    Path dir = measurementDir.resolve(DIRECTORY);
    List<ShardReport> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(p -> p.getFileName().toString().matches("shard-\\d+-of-\\d+\\.json"))
              .toList();
    }
    for (Path f : files) {
      out.add(read(f));
    }
    out.sort(Comparator.comparingInt(r -> Shard.parse(r.shard()).index()));
    return out;
  }

  private static ShardReport read(Path file) throws IOException {
    ShardReport report = JsonRecords.read(file, ShardReport.class);
    try {
      Shard.parse(report.shard());
    } catch (IllegalArgumentException e) {
      throw new IOException(
          file + ": field 'shard': expected i/k, got '" + report.shard() + "'", e);
    }
    return report;
  }
}
