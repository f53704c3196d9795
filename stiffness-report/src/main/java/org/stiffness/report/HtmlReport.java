package org.stiffness.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stiffness.io.JsonSummary;
import org.stiffness.jobs.ProcessMemory;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.ClassGroupsSummary;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * {@code DIR/report.html}: the plots and the key figures of an experiment in one self-contained
 * page (inline CSS, no scripts, images linked relative to DIR so the directory can be moved or
 * archived whole). Every text that comes from the summary is HTML-escaped.
 */
public final class HtmlReport {
  /** The report's file name inside the experiment directory. */
  public static final String FILE_NAME = "report.html";

  /** Where {@link #generate} puts the plots, relative to the experiment directory. */
  public static final String PLOT_DIR = "plots";

  private HtmlReport() {}

  /**
   * Draws every plot into {@code DIR/plots} and writes {@code DIR/report.html}.
   *
   * @param classNames class names by index, or null (see {@link Plots#Plots})
   * @param order heatmap class order and group boundaries, or null for index order
   * @return the report file
   */
  public static Path generate(
      ExperimentSummary summary, Path dir, List<String> classNames, ClassOrder order)
      throws IOException {
    List<Figure> figures =
        new Plots(summary, dir, classNames).writeAll(dir.resolve(PLOT_DIR), order);
    return write(summary, dir, figures);
  }

  /**
   * Writes {@code DIR/report.html} atomically, showing {@code figures} (which must lie inside
   * {@code dir}) grouped by section, after a key-figure table per run.
   */
  public static Path write(ExperimentSummary summary, Path dir, List<Figure> figures)
      throws IOException {
    return PngFiles.writeText(dir.resolve(FILE_NAME), html(summary, dir, figures));
  }

  /**
   * The time and peak memory of a sharded measurement ({@code config.resources}, written by {@code
   * stiffness merge}): one row per shard and one for the merge.
   */
  private static void resources(StringBuilder h, JsonNode config) {
    JsonNode r = config == null ? null : config.get("resources");
    if (r == null || !r.isObject()) {
      return;
    }
    h.append("<h2>Cost</h2>\n<table>\n<tr><th class=\"l\">job</th><th class=\"l\">device</th>")
        .append("<th class=\"l\">host</th><th>seconds</th><th>peak RSS</th><th>tiles computed")
        .append("</th><th>tiles skipped</th></tr>\n");
    for (JsonNode s : r.path("shards")) {
      h.append("<tr><td class=\"l\">shard ")
          .append(escape(s.path("shard").asText()))
          .append("</td><td class=\"l\">")
          .append(escape(s.path("device").asText()))
          .append("</td><td class=\"l\">")
          .append(escape(s.path("host").asText()))
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f", s.path("seconds").asDouble()))
          .append("</td><td>")
          .append(ProcessMemory.format(s.path("peak_rss_bytes").asLong(-1)))
          .append("</td><td>")
          .append(s.path("tiles_computed").asInt() + s.path("tiles_recomputed").asInt())
          .append("</td><td>")
          .append(s.path("tiles_skipped").asInt())
          .append("</td></tr>\n");
    }
    JsonNode m = r.path("merge");
    h.append("<tr><td class=\"l\">merge</td><td class=\"l\"></td><td class=\"l\"></td><td>")
        .append(String.format(Locale.ROOT, "%.1f", m.path("seconds").asDouble()))
        .append("</td><td>")
        .append(ProcessMemory.format(m.path("peak_rss_bytes").asLong(-1)))
        .append("</td><td></td><td></td></tr>\n</table>\n");
  }

  static String html(ExperimentSummary summary, Path dir, List<Figure> figures) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Stiffness report</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;color:#222;max-width:1500px}\n")
        .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}\n")
        .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\n")
        .append("th{background:#f3f3f3}td.l,th.l{text-align:left}\n")
        .append(".figures{display:flex;flex-wrap:wrap;gap:1em}\n")
        .append("figure{margin:0;flex:1 1 540px;max-width:720px}")
        .append("img{max-width:100%;border:1px solid #eee}\n")
        .append("figcaption{color:#555;font-size:0.9em}pre{background:#f7f7f7;padding:1em;")
        .append("overflow:auto;font-size:0.85em}\n")
        .append("dl.glossary{display:grid;grid-template-columns:max-content 1fr;gap:0.3em 1em;")
        .append("font-size:0.9em;max-width:1100px}dl.glossary dt{font-weight:bold}")
        .append("dl.glossary dd{margin:0}p.intro{max-width:1100px}\n</style>\n</head>\n<body>\n")
        .append("<h1>Stiffness report</h1>\n");
    h.append(Glossary.html());

    h.append("<h2>Key figures</h2>\n");
    for (Run run : summary.runs()) {
      keyFigures(h, run, SummaryConfig.xiDefinition(summary.config()));
      classGroups(h, run, summary.config());
    }

    Map<String, StringBuilder> sections = new LinkedHashMap<>();
    Path base = dir.toAbsolutePath().normalize();
    for (Figure f : figures) {
      String href = base.relativize(f.file().toAbsolutePath().normalize()).toString();
      href = href.replace('\\', '/');
      sections
          .computeIfAbsent(f.section(), k -> new StringBuilder())
          .append("<figure><img src=\"")
          .append(escape(href))
          .append("\" alt=\"")
          .append(escape(f.caption()))
          .append("\"><figcaption>")
          .append(escape(f.caption()))
          .append("</figcaption></figure>\n");
    }
    List<String> headings = new ArrayList<>(sections.keySet());
    // The headline (stiffness over training) first, the per-class detail last; a stable sort
    // keeps the figures' own order among sections of one kind (groupings).
    headings.sort(Comparator.comparing(ReportSection::of));
    for (String heading : headings) {
      // Side by side where the window allows: 24 plots of a two-rate run in one column are a
      // long scroll.
      // An id per section, so a link (or a screenshot) can open the page at it:
      // #stiffness-vs-input-distance.
      h.append("<h2 id=\"")
          .append(escape(heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")))
          .append("\">")
          .append(escape(heading))
          .append("</h2>\n<p class=\"intro\">")
          .append(escape(ReportSection.of(heading).intro()))
          .append("</p>\n<div class=\"figures\">\n")
          .append(sections.get(heading))
          .append("</div>\n");
    }

    resources(h, summary.config());

    h.append("<h2>Configuration</h2>\n<pre>");
    try {
      h.append(
          escape(
              summary.config() == null
                  ? "{}"
                  : JsonSummary.mapper().writeValueAsString(summary.config())));
    } catch (JsonProcessingException e) {
      h.append(escape(String.valueOf(summary.config())));
    }
    h.append("</pre>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void keyFigures(StringBuilder h, Run run, String xiDefinition) {
    List<Checkpoint> cps = run.checkpoints();
    h.append("<h3>Learning rate ").append(escape(FigureData.lr(run.lr()))).append("</h3>\n");
    if (cps == null || cps.isEmpty()) {
      h.append("<p>No checkpoints.</p>\n");
      return;
    }
    Checkpoint last = cps.get(cps.size() - 1);
    h.append("<p>Last checkpoint: step ")
        .append(last.step() != null ? last.step().toString() : "unknown")
        .append(", epoch ")
        .append(number(last.epoch()))
        .append(". Final train accuracy <b>")
        .append(number(last.trainAcc()))
        .append("</b>, val accuracy <b>")
        .append(number(last.valAcc()))
        .append("</b>; train loss ")
        .append(number(last.trainLoss()))
        .append(", val loss ")
        .append(number(last.valLoss()))
        .append(".</p>\n");
    h.append("<table>\n<tr><th class=\"l\">pairing</th><th>within sign</th><th>between sign</th>")
        .append("<th>within cosine</th><th>between cosine</th>")
        .append("<th>xi")
        .append(xiDefinition == null ? "" : " (" + escape(xiDefinition) + ")")
        .append(", within-class [bootstrap interval]</th><th>xi, all pairs</th>")
        .append("<th>within-class xi measured at</th></tr>\n");
    if (last.pairings() == null) {
      h.append("</table>\n");
      return;
    }
    List<String> neverMeasured = new ArrayList<>();
    for (Map.Entry<String, PairingSummary> entry : last.pairings().entrySet()) {
      String p = entry.getKey();
      PairingSummary ps = entry.getValue();
      if (ps == null) {
        continue;
      }
      int without = FigureData.checkpointsWithoutCrossing(run, p);
      h.append("<tr><td class=\"l\">")
          .append(escape(p))
          .append("</td><td>")
          .append(number(ps.withinSign()))
          .append("</td><td>")
          .append(number(ps.betweenSign()))
          .append("</td><td>")
          .append(number(ps.withinCos()))
          .append("</td><td>")
          .append(number(ps.betweenCos()))
          .append("</td><td class=\"l\">")
          .append(escape(CriticalLengthText.of(ps.criticalLength())))
          .append("</td><td class=\"l\">")
          .append(escape(CriticalLengthText.of(ps.criticalLengthAllPairs())))
          .append("</td><td class=\"l\">")
          .append(escape(measuredAt(without, cps.size())))
          .append("</td></tr>\n");
      if (without == cps.size()) {
        neverMeasured.add(p);
      }
    }
    h.append("</table>\n");
    if (!neverMeasured.isEmpty()) {
      h.append("<p><b>The paper's xi was not measured</b> for ")
          .append(escape(String.join(", ", neverMeasured)))
          .append(": within-class stiffness did not cross 0 inside the measured distances at any")
          .append(" of the ")
          .append(cps.size())
          .append(" checkpoints (the xi column says why at the last one). The all-pairs xi is")
          .append(" not the paper's quantity.</p>\n");
    }
  }

  /**
   * The class groups of the last checkpoint, named with their classes, and per pairing the
   * stiffness of pairs of different classes within a group against pairs across groups.
   */
  private static void classGroups(StringBuilder h, Run run, JsonNode config) {
    List<Checkpoint> cps = run.checkpoints();
    if (cps == null || cps.isEmpty() || cps.get(cps.size() - 1).pairings() == null) {
      return;
    }
    Map<String, PairingSummary> pairings = cps.get(cps.size() - 1).pairings();
    ClassGroupsSummary groups =
        pairings.values().stream()
            .filter(p -> p != null && p.classGroups() != null)
            .map(PairingSummary::classGroups)
            .findFirst()
            .orElse(null);
    if (groups == null) {
      return;
    }
    JsonNode names = config == null ? null : config.get("class_names");
    h.append("<p>Classes grouped by <b>").append(escape(groups.name())).append("</b>: ");
    for (int g = 0; g < groups.groupNames().size(); g++) {
      StringBuilder members = new StringBuilder();
      for (int c = 0; c < groups.groupOfClass().size(); c++) {
        if (groups.groupOfClass().get(c) == g) {
          boolean named = names != null && names.isArray() && names.size() > c;
          members
              .append(members.length() == 0 ? "" : ", ")
              .append(named ? names.get(c).asText() : Integer.toString(c));
        }
      }
      h.append(g == 0 ? "" : "; ")
          .append(escape(groups.groupNames().get(g)))
          .append(" (")
          .append(escape(members.toString()))
          .append(")");
    }
    h.append(".</p>\n<table>\n<tr><th class=\"l\">pairing</th><th>within-group sign</th>")
        .append("<th>across-group sign</th><th>within-group cosine</th>")
        .append("<th>across-group cosine</th><th>pairs within / across groups</th></tr>\n");
    for (Map.Entry<String, PairingSummary> entry : pairings.entrySet()) {
      ClassGroupsSummary g = entry.getValue() == null ? null : entry.getValue().classGroups();
      if (g == null) {
        continue;
      }
      h.append("<tr><td class=\"l\">")
          .append(escape(entry.getKey()))
          .append("</td><td>")
          .append(number(g.withinGroupSign()))
          .append("</td><td>")
          .append(number(g.acrossGroupSign()))
          .append("</td><td>")
          .append(number(g.withinGroupCos()))
          .append("</td><td>")
          .append(number(g.acrossGroupCos()))
          .append("</td><td>")
          .append(g.withinGroupPairs())
          .append(" / ")
          .append(g.acrossGroupPairs())
          .append("</td></tr>\n");
    }
    h.append("</table>\n<p>Within-group: pairs of different classes of the same group; same-class")
        .append(" pairs are in neither column.</p>\n");
  }

  /**
   * At how many of a run's checkpoints the within-class xi has a value, said plainly when it has
   * none: then the paper's xi was not measured at all.
   */
  static String measuredAt(int withoutCrossing, int checkpoints) {
    int measured = checkpoints - withoutCrossing;
    if (measured == checkpoints) {
      return "all " + checkpoints + " checkpoints";
    }
    if (measured == 0) {
      return "none of " + checkpoints + " checkpoints (not measured: no crossing)";
    }
    return measured
        + " of "
        + checkpoints
        + " checkpoints (no crossing at "
        + withoutCrossing
        + ")";
  }

  /** A figure as the report prints it: three decimals, or an en dash when missing. */
  static String number(Double v) {
    if (v == null || !Double.isFinite(v)) {
      return "&ndash;";
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** Escapes text for HTML element content and double- or single-quoted attribute values. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
