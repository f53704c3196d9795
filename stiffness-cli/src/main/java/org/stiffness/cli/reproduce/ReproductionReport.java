package org.stiffness.cli.reproduce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
    List<ClaimResult> ordered = ClaimOrder.of(experiments, rows);
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
    Files.writeString(
        dir.resolve(HTML), html(dir, settings, experiments, ordered), StandardCharsets.UTF_8);
  }

  private static List<String> links(Path dir, ClaimResult r) {
    return r.plots().stream()
        .map(p -> r.experiment() + "/" + p)
        .filter(p -> Files.isRegularFile(dir.resolve(p)))
        .toList();
  }

  private static String html(
      Path dir, ObjectNode settings, List<Experiment> experiments, List<ClaimResult> rows) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
        .append("<title>Stiffness: reproduction of the paper's claims</title>\n<style>")
        .append("body{font-family:sans-serif;margin:2em;max-width:90em}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;")
        .append("vertical-align:top;text-align:left}.holds{background:#dfd}")
        .append(".does-not-hold{background:#fdd}.no-crossing,.not-measurable{background:#ffd}")
        // Thumbnails of one height: a three-panel distance plot must not make its row a page.
        .append(".not-run{color:#888}td.thumb{width:250px}td.thumb img{height:170px;")
        .append(
            "max-width:240px;object-fit:contain;border:1px solid #ddd}.plots a{font-size:0.85em}")
        .append("p.verdicts{font-size:1.15em}</style></head><body>\n")
        .append("<h1>Reproduction of Fort et al., \"Stiffness\"</h1>\n")
        .append("<p class=\"verdicts\">")
        .append(escape(verdictCount(experiments, rows)))
        .append("</p>\n")
        .append(settingsHtml(dir, settings, experiments))
        .append("<p>Each verdict is a measured comparison on the ")
        .append(Claims.PAIRING)
        .append(" pairing, cosine stiffness; thresholds in reproduction.json and")
        .append(" docs/reproduction.md. A difference counts when it exceeds ")
        .append(fmt(Claims.SE_MULTIPLE))
        .append(" standard errors over class cells; claims about training must hold at ")
        .append(Math.round(100 * Claims.MIN_FRACTION))
        .append(" % of the checkpoints after step 0 of every learning rate.</p>\n")
        .append("<h2>Claims</h2>\n<table><tr><th>claim</th><th>the paper</th>")
        .append("<th>experiment</th><th>measured</th><th>verdict</th><th>plot</th></tr>\n");
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
          .append("</td><td class=\"thumb\">");
      plotCell(h, links(dir, r));
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

  /**
   * The row's first plot as a thumbnail linking to the full image, then every link (the other
   * plots, the experiment's report) by a short name.
   */
  private static void plotCell(StringBuilder h, List<String> links) {
    String thumb = links.stream().filter(l -> l.endsWith(".png")).findFirst().orElse(null);
    if (thumb != null) {
      h.append("<a href=\"")
          .append(escape(thumb))
          .append("\"><img src=\"")
          .append(escape(thumb))
          .append("\" alt=\"")
          .append(escape(shortName(thumb)))
          .append("\" loading=\"lazy\"></a><br>");
    }
    h.append("<span class=\"plots\">");
    for (int k = 0; k < links.size(); k++) {
      String link = links.get(k);
      h.append(k == 0 ? "" : " &middot; ")
          .append("<a href=\"")
          .append(escape(link))
          .append("\">")
          .append(escape(shortName(link)))
          .append("</a>");
    }
    h.append("</span>");
  }

  /** A plot's link text: its file name without the pairing and extension ("training, lr 0.01"). */
  static String shortName(String link) {
    String name = Path.of(link).getFileName().toString();
    if (name.equals("report.html")) {
      return "report";
    }
    name = name.replaceFirst("\\.png$", "").replace("-" + Claims.PAIRING, "");
    return name.replaceFirst("-lr", ", lr ");
  }

  /**
   * The verdicts at a glance: how many claim rows of the experiments that ran got each verdict, and
   * which experiments did not run or failed (their rows say why).
   */
  static String verdictCount(List<Experiment> experiments, List<ClaimResult> rows) {
    List<String> ran =
        experiments.stream().filter(e -> e.status().equals("ran")).map(Experiment::name).toList();
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    int judged = 0;
    for (ClaimResult r : rows) {
      if (ran.contains(r.experiment())) {
        counts.merge(r.verdict(), 1, Integer::sum);
        judged++;
      }
    }
    StringBuilder s = new StringBuilder();
    s.append(judged)
        .append(judged == 1 ? " verdict" : " verdicts")
        .append(" on ")
        .append(ran.size())
        .append(ran.size() == 1 ? " experiment" : " experiments");
    String sep = ": ";
    for (Verdict v : Verdict.values()) {
      Integer n = counts.get(v);
      if (n != null) {
        s.append(sep).append(v.label()).append(" ").append(n);
        sep = ", ";
      }
    }
    s.append('.');
    List<String> notRun =
        experiments.stream().filter(e -> !e.status().equals("ran")).map(Experiment::name).toList();
    if (!notRun.isEmpty()) {
      s.append(" Not run or failed: ")
          .append(String.join(", ", notRun))
          .append(" (")
          .append(notRun.size())
          .append(notRun.size() == 1 ? " experiment" : " experiments")
          .append(", see below).");
    }
    return s.toString();
  }

  /**
   * The settings a reader needs to weigh the verdicts: scale, seed, device, the datasets of the
   * experiments that ran (from their summaries), and the source commit when the settings carry it.
   */
  private static String settingsHtml(Path dir, ObjectNode settings, List<Experiment> experiments) {
    StringBuilder h = new StringBuilder("<h2>Settings</h2>\n<table>\n");
    double scale = settings == null ? Double.NaN : settings.path("scale").asDouble(Double.NaN);
    row(h, "scale", settings == null ? "" : settings.path("scale").asText(""));
    row(h, "seed", settings == null ? "" : settings.path("seed").asText(""));
    row(h, "device", settings == null ? "" : settings.path("device").asText(""));
    row(h, "datasets", String.join(", ", datasets(dir, experiments)));
    String commit = settings == null ? "" : settings.path("commit").asText("");
    row(h, "commit", commit.isEmpty() ? "not recorded" : commit);
    h.append("</table>\n");
    if (scale < 1) {
      h.append("<p><b>Scale ")
          .append(escape(settings.path("scale").asText()))
          .append(" is below 1:</b> fewer examples, epochs and checkpoints than the documented")
          .append(" reproduction (scale 1), and verdicts can differ from a full run.</p>\n");
    }
    return h.toString();
  }

  private static void row(StringBuilder h, String name, String value) {
    h.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value));
    h.append("</td></tr>\n");
  }

  /** The dataset of each experiment that ran, in order, each once, from its summary's config. */
  private static List<String> datasets(Path dir, List<Experiment> experiments) {
    Set<String> out = new LinkedHashSet<>();
    for (Experiment e : experiments) {
      Path summary = dir.resolve(e.name()).resolve("summary.json");
      if (!e.status().equals("ran") || !Files.isRegularFile(summary)) {
        continue;
      }
      try {
        String d = JsonSummary.mapper().readTree(summary.toFile()).at("/config/dataset").asText("");
        if (!d.isEmpty()) {
          out.add(d);
        }
      } catch (IOException unreadable) {
        // The experiment's own row says whether it could be judged; the list is only a summary.
      }
    }
    return new ArrayList<>(out);
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
