package org.stiffness.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.stats.tiles.PairingStatistics;

/**
 * The figures of one pairing's statistics that both sides of a comparison print: within- and
 * between-class cosine and sign stiffness (means of the non-empty class cells) and the critical
 * length. Printing them side by side shows that the two sides computed the same thing.
 *
 * @param withinCosine within-class cosine stiffness (null without such pairs)
 * @param betweenCosine between-class cosine stiffness
 * @param withinSign within-class sign stiffness
 * @param betweenSign between-class sign stiffness
 * @param pairs pairs averaged (valid, not self-pairs)
 * @param xi the within-class critical length, or null where there is no crossing
 * @param xiReason why there is no crossing, lower case ("crossing_outside_range"), or null
 */
public record HeadlineStatistics(
    Double withinCosine,
    Double betweenCosine,
    Double withinSign,
    Double betweenSign,
    long pairs,
    Double xi,
    String xiReason) {

  /** The figures of our statistics. */
  public static HeadlineStatistics of(PairingStatistics statistics) {
    ClassStiffness c = statistics.classes();
    Double xi = null;
    String reason = null;
    CriticalLength.Result r = statistics.criticalLength();
    if (r instanceof CriticalLength.Estimate e) {
      xi = e.xi();
    } else if (r instanceof CriticalLength.NoCrossing n) {
      reason = n.reason().name().toLowerCase(Locale.ROOT);
    }
    return new HeadlineStatistics(
        finite(c.withinClassStiffness(StiffnessMeasure.COSINE)),
        finite(c.betweenClassStiffness(StiffnessMeasure.COSINE)),
        finite(c.withinClassStiffness(StiffnessMeasure.SIGN)),
        finite(c.betweenClassStiffness(StiffnessMeasure.SIGN)),
        statistics.consideredPairs(),
        xi,
        reason);
  }

  /** The figures of the PyTorch script's {@code statistics} object. */
  static HeadlineStatistics fromJson(JsonNode s) {
    JsonNode xi = s.path("xi");
    return new HeadlineStatistics(
        number(s, "within_cosine"),
        number(s, "between_cosine"),
        number(s, "within_sign"),
        number(s, "between_sign"),
        s.path("pairs").asLong(),
        xi.has("reason") ? null : number(xi, "xi"),
        xi.has("reason") ? xi.get("reason").asText() : null);
  }

  /** The critical length as printed: its value, or "none (reason)". */
  public String xiText() {
    if (xi != null) {
      return String.format(Locale.ROOT, "%.4f", xi);
    }
    return "none (" + (xiReason == null ? "?" : xiReason) + ")";
  }

  private static Double number(JsonNode node, String name) {
    JsonNode v = node.get(name);
    return v == null || !v.isNumber() ? null : v.asDouble();
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
