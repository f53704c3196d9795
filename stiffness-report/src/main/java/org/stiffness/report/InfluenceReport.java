package org.stiffness.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stiffness.io.JsonSummary;

/**
 * The pictures and the page of a {@code stiffness influence} run: {@code plots/self_influence.png}
 * (flipped against clean), {@code plots/detection.png} (flipped labels found against training data
 * inspected, with both AUCs), {@code plots/proponents.png} (test images with their top proponents
 * and opponents) and {@code report.html}, self-contained like the stiffness report (inline CSS, no
 * scripts, images linked relative to the directory). Every file is written atomically.
 */
public final class InfluenceReport {
  /** Test images in the proponents grid. */
  public static final int GRID_TESTS = 8;

  /** Proponents and opponents shown per test image. */
  public static final int GRID_PER_SIDE = 5;

  private InfluenceReport() {}

  /**
   * A written picture.
   *
   * @param file the PNG, inside the run's directory
   * @param caption what it shows
   */
  public record Picture(Path file, String caption) {}

  /**
   * Draws the pictures into {@code dir/plots} and writes {@code dir/report.html}.
   *
   * @param results the scores, curves and images
   * @param settings {@code influence.json} as written: its settings, checkpoints and figures are
   *     shown
   * @param dir the run's directory
   * @return the report file
   */
  public static Path write(InfluenceResults results, JsonNode settings, Path dir)
      throws IOException {
    Path plots = dir.resolve(HtmlReport.PLOT_DIR);
    Files.createDirectories(plots);
    List<Picture> pictures = new ArrayList<>();
    pictures.add(
        new Picture(
            PngFiles.writePng(
                plots.resolve("self_influence.png"),
                ChartStyle.stack(InfluencePlots.histogram(results))),
            "Self-influence of the training examples whose labels were flipped against the clean"
                + " ones, each group's share per bin."));
    pictures.add(
        new Picture(
            PngFiles.writePng(
                plots.resolve("detection.png"),
                ChartStyle.stack(InfluencePlots.detection(results))),
            "Share of the flipped labels found against the share of the training set inspected,"
                + " from the highest score down: by self-influence and by final loss."));
    int[] tests = InfluenceGrid.shownTests(results.testLabels().length, GRID_TESTS);
    pictures.add(
        new Picture(
            PngFiles.writePng(
                plots.resolve("proponents.png"), InfluenceGrid.draw(results, tests, GRID_PER_SIDE)),
            "Test images (left) with the training examples that most helped (proponents) and most"
                + " hurt (opponents) their loss; flipped labels framed in red."));
    return PngFiles.writeText(
        dir.resolve(HtmlReport.FILE_NAME), html(results, settings, dir, pictures));
  }

  static String html(InfluenceResults r, JsonNode settings, Path dir, List<Picture> pictures) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Influence report</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;color:#222;max-width:1500px}\n")
        .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}\n")
        .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\n")
        .append("th{background:#f3f3f3}td.l,th.l{text-align:left}\n")
        .append("figure{margin:0 0 1.5em}img{max-width:100%;border:1px solid #eee}\n")
        .append("figcaption{color:#555;font-size:0.9em}pre{background:#f7f7f7;padding:1em;")
        .append("overflow:auto;font-size:0.85em}p.intro{max-width:1100px}\n</style>\n</head>\n")
        .append("<body>\n<h1>Influence report</h1>\n<p class=\"intro\">")
        .append(
            "TracIn (Pruthi et al., NeurIPS 2020), exact and over all parameters: the influence of"
                + " training example z on example z' is sum_k w_k g_k(z) . g_k(z'), over the"
                + " saved checkpoints k, with g_k the per-example loss gradient at checkpoint k and"
                + " w_k the learning rate times the optimiser steps the checkpoint stands for."
                + " Self-influence sum_k w_k |g_k(z)|^2 is high for examples the model finds hard"
                + " to fit, mislabelled ones first; the proponents of a test example are the"
                + " training examples of largest influence on it, the opponents those of the most"
                + " negative.")
        .append("</p>\n");
    h.append("<h2>Key figures</h2>\n<table>\n");
    row(h, "training examples", Integer.toString(r.selfInfluence().length));
    row(h, "test examples", Integer.toString(r.testLabels().length));
    row(h, "flipped labels", Integer.toString(r.flippedCount()));
    row(
        h,
        "ROC AUC of self-influence for the flipped labels",
        InfluencePlots.auc(r.aucSelfInfluence()));
    row(h, "ROC AUC of the final loss for the flipped labels", InfluencePlots.auc(r.aucLoss()));
    h.append("</table>\n");
    JsonNode checkpoints = settings == null ? null : settings.get("checkpoints");
    if (checkpoints != null && checkpoints.isArray()) {
      h.append("<h2>Checkpoints</h2>\n<table>\n<tr><th>step</th><th>epoch</th>")
          .append("<th>learning rate</th><th>steps it stands for</th><th>weight w_k</th>")
          .append("<th>train loss</th><th>train accuracy</th><th>test accuracy</th></tr>\n");
      for (JsonNode c : checkpoints) {
        h.append("<tr><td>")
            .append(c.path("step").asLong())
            .append("</td><td>")
            .append(number(c.path("epoch")))
            .append("</td><td>")
            .append(number(c.path("learning_rate")))
            .append("</td><td>")
            .append(c.path("steps").asLong())
            .append("</td><td>")
            .append(number(c.path("weight")))
            .append("</td><td>")
            .append(number(c.path("train_loss")))
            .append("</td><td>")
            .append(number(c.path("train_accuracy")))
            .append("</td><td>")
            .append(number(c.path("test_accuracy")))
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    h.append("<h2>Pictures</h2>\n");
    Path base = dir.toAbsolutePath().normalize();
    for (Picture p : pictures) {
      String href =
          base.relativize(p.file().toAbsolutePath().normalize()).toString().replace('\\', '/');
      h.append("<figure><img src=\"")
          .append(HtmlReport.escape(href))
          .append("\" alt=\"")
          .append(HtmlReport.escape(p.caption()))
          .append("\"><figcaption>")
          .append(HtmlReport.escape(p.caption()))
          .append("</figcaption></figure>\n");
    }
    h.append("<h2>Configuration</h2>\n<pre>");
    try {
      h.append(
          HtmlReport.escape(
              settings == null ? "{}" : JsonSummary.mapper().writeValueAsString(settings)));
    } catch (JsonProcessingException e) {
      h.append(HtmlReport.escape(String.valueOf(settings)));
    }
    h.append("</pre>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void row(StringBuilder h, String name, String value) {
    h.append("<tr><td class=\"l\">")
        .append(HtmlReport.escape(name))
        .append("</td><td>")
        .append(HtmlReport.escape(value))
        .append("</td></tr>\n");
  }

  private static String number(JsonNode v) {
    return v.isNumber() ? String.format(Locale.ROOT, "%.4g", v.asDouble()) : "&ndash;";
  }
}
