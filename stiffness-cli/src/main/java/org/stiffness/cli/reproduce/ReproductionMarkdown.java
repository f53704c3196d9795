package org.stiffness.cli.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.stiffness.io.AtomicFiles;

/**
 * {@code reproduction.md}: the claims table in Markdown, headed by where, when and from which
 * source it was measured, so that the README can quote it as it is (scripts/refresh-figures does)
 * and every quoted figure names the commit and the date it came from.
 */
public final class ReproductionMarkdown {

  /** The table as Markdown, in the output directory. */
  public static final String FILE = "reproduction.md";

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * Where and when a reproduction ran.
   *
   * @param commit the source it was built from ({@code git describe --always --dirty}, which the
   *     launcher passes as {@code STIFFNESS_COMMIT}), or null when unknown
   * @param finished when it ended
   * @param machine the processor, its CPUs and the system
   * @param loadAverage the system's load average over the last minute at the end, or negative
   * @param wallSeconds the reproduction's wall time
   */
  public record Provenance(
      String commit, Instant finished, String machine, double loadAverage, double wallSeconds) {

    /** This process's machine, now, with the launcher's {@code STIFFNESS_COMMIT}. */
    public static Provenance ofThisRun(double wallSeconds) {
      return new Provenance(
          System.getenv("STIFFNESS_COMMIT"),
          Instant.now(),
          Machine.describe(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          wallSeconds);
    }
  }

  private ReproductionMarkdown() {}

  /** Writes {@link #FILE} into {@code dir}. */
  public static void write(
      Path dir,
      Provenance provenance,
      JsonNode settings,
      List<ReproductionReport.Experiment> experiments,
      List<ClaimResult> rows)
      throws IOException {
    byte[] text = render(provenance, settings, experiments, rows).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.writeStream(dir.resolve(FILE), out -> out.write(text));
  }

  /** The file's text. */
  static String render(
      Provenance p,
      JsonNode settings,
      List<ReproductionReport.Experiment> experiments,
      List<ClaimResult> rows) {
    List<String> notRun =
        experiments.stream()
            .filter(e -> !e.status().equals("ran"))
            .map(ReproductionReport.Experiment::name)
            .toList();
    List<ClaimResult> table =
        ClaimOrder.of(experiments, rows).stream()
            .filter(r -> !notRun.contains(r.experiment()))
            .toList();
    StringBuilder md = new StringBuilder();
    md.append("# Reproduction of Fort et al., \"Stiffness\"\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Measured at commit `%s` on %s, on %s%s: scale %s, seed %s, device %s; wall time %s.\n",
            p.commit() == null || p.commit().isBlank() ? "unknown" : p.commit(),
            DATE.format(p.finished()),
            p.machine(),
            p.loadAverage() < 0
                ? ""
                : String.format(Locale.ROOT, " (load average %.1f at the end)", p.loadAverage()),
            settings.path("scale").asText("?"),
            settings.path("seed").asText("?"),
            settings.path("device").asText("?"),
            duration(p.wallSeconds())));
    md.append("Experiments: ")
        .append(
            experiments.stream()
                .map(
                    e ->
                        e.status().equals("ran")
                            ? String.format(Locale.ROOT, "%s (%.0f s)", e.name(), e.seconds())
                            : e.name() + " (" + e.status() + ": " + e.why() + ")")
                .map(ReproductionMarkdown::cell)
                .collect(Collectors.joining(", ")))
        .append(".\n\n");
    md.append("Verdicts: ").append(counts(table)).append(".\n\n");
    md.append("| claim | experiment | measured (train-val, cosine) | verdict |\n");
    md.append("|---|---|---|---|\n");
    for (ClaimResult r : table) {
      md.append("| ")
          .append(cell(r.claim().title()))
          .append(" | ")
          .append(cell(r.experiment()))
          .append(" | ")
          .append(cell(r.figure()))
          .append(" | ")
          .append(r.verdict().label())
          .append(" |\n");
    }
    return md.toString();
  }

  /** "5 holds, 2 does not hold, ..." over the verdicts that occur, in the enum's order. */
  static String counts(List<ClaimResult> rows) {
    Map<Verdict, Long> n = new EnumMap<>(Verdict.class);
    rows.forEach(r -> n.merge(r.verdict(), 1L, Long::sum));
    return n.isEmpty()
        ? "none"
        : n.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey().label())
            .collect(Collectors.joining(", "));
  }

  /** "5 min 44 s", or "42 s" under a minute. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
  }

  /** Text as one Markdown table cell: a pipe escaped, line breaks made spaces. */
  private static String cell(String text) {
    return text == null
        ? ""
        : text.replace("\\", "\\\\").replace("|", "\\|").replaceAll("\\R", " ");
  }
}
