package org.stiffness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stiffness.experiments.TiledMeasurement;
import org.stiffness.jobs.ProcessMemory;
import org.stiffness.report.HtmlReport;
import org.stiffness.summary.ExperimentSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Adds up the tile sums of {@code stiffness measure} into the statistics of one measurement. */
@Command(
    name = "merge",
    header = "Adds up the tiles of all shards into one summary, matrices, plots and report.",
    mixinStandardHelpOptions = true,
    description = {
      "Adds up the statistics' sums of every tile of DIR (written by stiffness measure, all"
          + " shards), verified, in one fixed order, and writes DIR/summary.json, the class"
          + " matrices (DIR/matrices/lr=.../step=.../), the pair matrices when the checkpoint asks"
          + " for them (from the Gram tiles), the plots and DIR/report.html (with the time and"
          + " peak memory of every shard), as an unsharded measurement writes them.",
      "Fails, listing them, when tiles are missing or corrupt or come from another"
          + " configuration."
    })
final class MergeCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The measurement directory.")
  Path dir;

  @Option(
      names = "--checkpoint",
      paramLabel = "C",
      description = "The saved checkpoint, if it moved since measure (default: the one recorded).")
  Path checkpoint;

  @Override
  public Integer call() throws IOException {
    OutputDirectory opened = OutputDirectory.forMerge(dir);
    TorchLogging.engine(); // libtorch warnings would bury the one-line report
    PrintWriter err = spec.commandLine().getErr();
    ExperimentSummary summary;
    Path report;
    // Written beside the tiles, then moved over the previous merge's results once complete.
    try (OutputDirectory staging = opened) {
      summary =
          TiledMeasurement.merge(
              dir,
              staging.path(),
              checkpoint,
              CheckpointRegistry.kinds(),
              line -> {
                err.println("stiffness: merge: " + line);
                err.flush();
              });
      // The plots and report of an unsharded run; class names are not recorded in a checkpoint.
      err.println("stiffness: merge: plots and report");
      err.flush();
      String reportName =
          HtmlReport.generate(summary, staging.path(), null, null).getFileName().toString();
      report = staging.commit().resolve(reportName);
    }
    JsonNode r = summary.config().path("resources");
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "wrote %s and %s (merge %.1f s, peak RSS %s; shards: %d reported, %.1f s of tiles"
                + " in all, peak RSS up to %s)%n",
            dir.resolve("summary.json"),
            report,
            r.path("merge").path("seconds").asDouble(),
            ProcessMemory.format(r.path("merge").path("peak_rss_bytes").asLong()),
            r.path("shards").size(),
            r.path("shard_seconds_total").asDouble(),
            ProcessMemory.format(r.path("shard_peak_rss_bytes_max").asLong()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
