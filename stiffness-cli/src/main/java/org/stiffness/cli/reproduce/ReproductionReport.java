package org.stiffness.cli.reproduce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.stiffness.io.JsonSummary;

/**
 * Writes {@code reproduction.json} and {@code reproduction.html}: one row per claim and experiment,
 * with links to the plots behind it under {@code DIR/<experiment>/}.
 */
public final class ReproductionReport {

  /** The table as JSON, in the output directory. */
  public static final String JSON = "reproduction.json";

  /** The table as a web page, in the output directory. */
  public static final String HTML = "reproduction.html";

  /**
   * One experiment of the reproduction.
   *
   * @param name its directory under the output directory
   * @param description what was trained on what
   * @param status {@code ran}, {@code failed} or {@code not run}
   * @param why why it did not run, or failed; null when it ran
   * @param command the {@code stiffness} command line it is equivalent to
   * @param seconds wall time, 0 when it did not run
   */
  public record Experiment(
      String name, String description, String status, String why, String command, double seconds) {}

  private ReproductionReport() {}

  /**
   * Writes both files into {@code dir}; a row's plots are linked only where the file exists.
   *
   * @param settings the reproduction's own settings, copied into the JSON as they are
   */
  public static void write(
      Path dir, ObjectNode settings, List<Experiment> experiments, List<ClaimResult> rows)
      throws IOException {
    List<ClaimResult> ordered = new ArrayList<>(rows);
    List<String> names = experiments.stream().map(Experiment::name).toList();
    // Claim order first, so each claim's experiments sit together; stable for the rest.
    ordered.sort(
        Comparator.comparing((ClaimResult r) -> r.claim().ordinal())
            .thenComparing(r -> names.indexOf(r.experiment())));
    ObjectNode root = JsonSummary.mapper().createObjectNode();
    root.put("command", "reproduce");
    root.set("settings", settings);
    ObjectNode thresholds = root.putObject("thresholds");
    thresholds.put("pairing", Claims.PAIRING);
    thresholds.put("se_multiple", Claims.SE_MULTIPLE);
    thresholds.put("min_fraction_of_checkpoints", Claims.MIN_FRACTION);
    thresholds.put("min_bin_pairs", Claims.MIN_BIN_PAIRS);
    thresholds.put("max_decay_rank_correlation", Claims.MAX_DECAY_RHO);
    thresholds.put("min_overfit_rise", Claims.MIN_OVERFIT_RISE);
    ArrayNode exps = root.putArray("experiments");
    for (Experiment e : experiments) {
      exps.addObject()
          .put("name", e.name())
          .put("description", e.description())
          .put("status", e.status())
          .put("why", e.why())
          .put("command", e.command())
          .put("seconds", Math.round(e.seconds() * 10) / 10.0);
    }
    ArrayNode claims = root.putArray("claims");
    for (ClaimResult r : ordered) {
      ObjectNode c =
          claims
              .addObject()
              .put("claim", r.claim().id())
              .put("title", r.claim().title())
              .put("statement", r.claim().statement())
              .put("experiment", r.experiment())
              .put("verdict", r.verdict().label())
              .put("figure", r.figure());
      ArrayNode plots = c.putArray("plots");
      links(dir, r).forEach(plots::add);
    }
    JsonSummary.write(dir.resolve(JSON), root);
    Files.writeString(dir.resolve(HTML), html(dir, experiments, ordered), StandardCharsets.UTF_8);
  }

  private static List<String> links(Path dir, ClaimResult r) {
    return r.plots().stream()
        .map(p -> r.experiment() + "/" + p)
        .filter(p -> Files.isRegularFile(dir.resolve(p)))
        .toList();
  }

  private static String html(Path dir, List<Experiment> experiments, List<ClaimResult> rows) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
        .append("<title>Stiffness: reproduction of the paper's claims</title>\n<style>")
        .append("body{font-family:sans-serif;margin:2em;max-width:90em}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;")
        .append("vertical-align:top;text-align:left}.holds{background:#dfd}")
        .append(".does-not-hold{background:#fdd}.no-crossing,.not-measurable{background:#ffd}")
        .append(".not-run{color:#888}</style></head><body>\n")
        .append("<h1>Reproduction of Fort et al., \"Stiffness\"</h1>\n")
        .append("<p>Each verdict is a measured comparison on the ")
        .append(Claims.PAIRING)
        .append(" pairing, cosine stiffness; thresholds in reproduction.json and")
        .append(" docs/reproduction.md. A difference counts when it exceeds ")
        .append(fmt(Claims.SE_MULTIPLE))
        .append(" standard errors over class cells; claims about training must hold at ")
        .append(Math.round(100 * Claims.MIN_FRACTION))
        .append(" % of the checkpoints after step 0 of every learning rate.</p>\n")
        .append("<h2>Claims</h2>\n<table><tr><th>claim</th><th>the paper</th>")
        .append("<th>experiment</th><th>measured</th><th>verdict</th><th>plots</th></tr>\n");
    List<String> absent =
        experiments.stream()
            .filter(e -> e.status().equals("not run"))
            .map(Experiment::name)
            .toList();
    List<ClaimResult> table = new ArrayList<>();
    rows.stream().filter(r -> !absent.contains(r.experiment())).forEach(table::add);
    // An experiment that did not run gets one row, last, for all its claims: not one per claim.
    for (String name : absent) {
      rows.stream().filter(r -> r.experiment().equals(name)).findFirst().ifPresent(table::add);
    }
    for (ClaimResult r : table) {
      boolean whole = absent.contains(r.experiment());
      String css = r.verdict().label().replace(' ', '-');
      h.append("<tr><td>")
          .append(escape(whole ? "all claims" : r.claim().title()))
          .append("</td><td>")
          .append(escape(whole ? "" : r.claim().statement()))
          .append("</td><td>")
          .append(escape(r.experiment()))
          .append("</td><td>")
          .append(escape(r.figure()))
          .append("</td><td class=\"")
          .append(css)
          .append("\">")
          .append(escape(r.verdict().label()))
          .append("</td><td>");
      for (String link : links(dir, r)) {
        h.append("<a href=\"")
            .append(escape(link))
            .append("\">")
            .append(escape(Path.of(link).getFileName().toString()))
            .append("</a><br>");
      }
      h.append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Experiments</h2>\n<table><tr><th>experiment</th><th>what</th>")
        .append("<th>status</th><th>equivalent command</th><th>seconds</th></tr>\n");
    for (Experiment e : experiments) {
      h.append("<tr><td>");
      if (Files.isRegularFile(dir.resolve(e.name()).resolve("report.html"))) {
        h.append("<a href=\"")
            .append(escape(e.name()))
            .append("/report.html\">")
            .append(escape(e.name()))
            .append("</a>");
      } else {
        h.append(escape(e.name()));
      }
      h.append("</td><td>")
          .append(escape(e.description()))
          .append("</td><td>")
          .append(escape(e.status() + (e.why() == null ? "" : ": " + e.why())))
          .append("</td><td><code>")
          .append(escape(e.command()))
          .append("</code></td><td>")
          .append(e.seconds() > 0 ? String.format(Locale.ROOT, "%.0f", e.seconds()) : "")
          .append("</td></tr>\n");
    }
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static String escape(String s) {
    return s == null
        ? ""
        : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
