package org.stiffness.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What the figures read from an experiment's {@code config} (the free-form object a summary keeps
 * of the run's settings): the class names and the definition of the critical length.
 */
final class SummaryConfig {
  private SummaryConfig() {}

  /** {@code config.class_names}, class k's name at index k; null when the config has none. */
  static List<String> classNames(JsonNode config) {
    JsonNode names = config == null ? null : config.get("class_names");
    if (names == null || !names.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    names.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * The definition of xi an experiment fitted, e.g. {@code cosine, d in [0, 2]}, from its
   * configuration's {@code critical_length}; null when the configuration does not record it. The
   * paper does not say which measure or window it used, and the choices give different xi
   * (docs/statistics.md, "The critical length against the paper"), so a plot of xi names its own.
   */
  static String xiDefinition(JsonNode config) {
    JsonNode xi = config == null ? null : config.get("critical_length");
    if (xi == null
        || !xi.path("measure").isTextual()
        || !xi.path("window_lo").isNumber()
        || !xi.path("window_hi").isNumber()) {
      return null;
    }
    return xi.get("measure").asText()
        + ", d in ["
        + plain(xi.get("window_lo").asDouble())
        + ", "
        + plain(xi.get("window_hi").asDouble())
        + "]";
  }

  private static String plain(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
