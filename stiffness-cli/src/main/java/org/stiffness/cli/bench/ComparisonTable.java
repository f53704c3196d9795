package org.stiffness.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.Locale;
import java.util.function.Function;

/** A {@link Comparison} as a side-by-side table or as one JSON object. */
public final class ComparisonTable {
  private static final String ROW = "  %-24s %-36s %s%n";

  private ComparisonTable() {}

  /** One JSON object on one line, snake_case names. */
  public static String json(Comparison c) {
    ObjectMapper mapper =
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    try {
      return mapper.writeValueAsString(c);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the comparison as JSON", e);
    }
  }

  /** The two sides in two columns, then the time ratio. */
  public static String text(Comparison c) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "model %s (%,d parameters), N = %,d, device %s, %d thread(s), float32, %d run(s) each,"
                + " alternating%n",
            c.model(),
            c.parameters(),
            c.n(),
            c.device(),
            c.threads(),
            c.repeats()));
    Comparison.Side o = c.ours();
    Comparison.Side p = c.pytorch();
    s.append(String.format(Locale.ROOT, ROW, "", "ours", "PyTorch"));
    s.append(String.format(Locale.ROOT, ROW, "", o.name(), p.name()));
    s.append(String.format(Locale.ROOT, ROW, "method", o.method(), p.method()));
    row(
        s,
        "seconds",
        o,
        p,
        x -> seconds(x.bestSeconds()) + " best, " + seconds(x.medianSeconds()) + " median");
    row(
        s,
        "examples/s",
        o,
        p,
        x -> String.format(Locale.ROOT, "%,.0f best", c.n() / x.bestSeconds()));
    row(
        s,
        "of which gradients+Gram",
        o,
        p,
        x -> seconds(x.gradientSeconds()[x.bestRun()]) + " (best run)");
    row(s, "  statistics", o, p, x -> seconds(x.statisticsSeconds()[x.bestRun()]));
    row(s, "    input distances", o, p, x -> seconds(x.distanceSeconds()[x.bestRun()]));
    row(s, "within-class cosine", o, p, x -> figure(x.statistics().withinCosine()));
    row(s, "between-class cosine", o, p, x -> figure(x.statistics().betweenCosine()));
    row(s, "within-class sign", o, p, x -> figure(x.statistics().withinSign()));
    row(s, "between-class sign", o, p, x -> figure(x.statistics().betweenSign()));
    row(s, "critical length xi", o, p, x -> x.statistics().xiText());
    s.append(
        String.format(
            Locale.ROOT,
            "%nPyTorch's time / ours: %.2f best, %.2f median (above 1: ours is faster)%n",
            c.ratioBest(),
            c.ratioMedian()));
    return s.toString();
  }

  private static void row(
      StringBuilder s,
      String name,
      Comparison.Side ours,
      Comparison.Side pytorch,
      Function<Comparison.Side, String> value) {
    s.append(String.format(Locale.ROOT, ROW, name, value.apply(ours), value.apply(pytorch)));
  }

  private static String seconds(double v) {
    return String.format(Locale.ROOT, "%.3f s", v);
  }

  private static String figure(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.5f", v);
  }
}
