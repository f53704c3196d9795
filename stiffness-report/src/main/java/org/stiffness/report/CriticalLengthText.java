package org.stiffness.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stiffness.stats.CriticalLength;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;

/**
 * The critical length xi as a reader of the paper wants it: a value with its interval, or a short
 * plain reason why there is none, every number to 3 significant digits. The summary's reason is
 * {@code <reason>: <detail>} ({@code SummaryWriter.criticalLength}: the {@link
 * CriticalLength.Reason} in lower case, then {@code CriticalLength}'s own detail); its numbers are
 * read back from the detail, and a detail of another form is shown as it is, numbers rounded.
 */
final class CriticalLengthText {
  private static final String NUMBER = "(-?[0-9][0-9.]*(?:[eE][-+]?[0-9]+)?|-?Infinity|NaN)";
  private static final Pattern OUTSIDE =
      Pattern.compile(
          "fitted crossing at d = "
              + NUMBER
              + " lies outside the observed distances \\["
              + NUMBER
              + ", "
              + NUMBER
              + "\\]");
  private static final Pattern SLOPE = Pattern.compile("slope = " + NUMBER);
  private static final Pattern TOO_FEW =
      Pattern.compile("^([0-9]+) pairs from .*need >= ([0-9]+) pairs");
  private static final Pattern UNBOUNDED =
      Pattern.compile("point estimate xi = " + NUMBER + " but ([0-9]+) of ([0-9]+) bootstrap");
  private static final Pattern ANY_NUMBER =
      Pattern.compile("-?[0-9]+\\.[0-9]+(?:[eE][-+]?[0-9]+)?");

  private CriticalLengthText() {}

  /**
   * Plain text (not HTML-escaped) of one xi: {@code 1.38 [1.21, 1.55]}, or why it has no value.
   *
   * @param xi the summary's xi, or null when the summary has none (no distances measured)
   */
  static String of(CriticalLengthSummary xi) {
    if (xi == null) {
      return "not measured (no input distances in this summary)";
    }
    if (xi.value() != null && Double.isFinite(xi.value())) {
      String value = sig3(xi.value());
      if (xi.low() == null || xi.high() == null) {
        return value + " (no interval)";
      }
      return value + " [" + sig3(xi.low()) + ", " + sig3(xi.high()) + "]";
    }
    return reason(xi.reason());
  }

  /** The plain reason of an xi without a value. */
  static String reason(String summaryReason) {
    if (summaryReason == null || summaryReason.isBlank()) {
      return "no crossing";
    }
    int colon = summaryReason.indexOf(':');
    CriticalLength.Reason code = null;
    if (colon > 0) {
      try {
        code =
            CriticalLength.Reason.valueOf(
                summaryReason.substring(0, colon).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException notAReason) {
        code = null;
      }
    }
    String detail = code == null ? summaryReason : summaryReason.substring(colon + 1).trim();
    String plain = code == null ? null : plain(code, detail);
    return plain != null ? plain : roundNumbers(summaryReason);
  }

  /**
   * The reason in words, or null when the detail is not of the form {@code CriticalLength} writes.
   */
  private static String plain(CriticalLength.Reason code, String detail) {
    return switch (code) {
      case CROSSING_OUTSIDE_RANGE -> {
        Matcher m = OUTSIDE.matcher(detail);
        if (!m.find()) {
          yield null;
        }
        double at = Double.parseDouble(m.group(1));
        double lo = Double.parseDouble(m.group(2));
        double hi = Double.parseDouble(m.group(3));
        yield at > hi
            ? "no crossing: stiffness stays positive over all measured distances (up to "
                + sig3(hi)
                + "; the fitted line would reach 0 at d = "
                + sig3(at)
                + ")"
            : "no crossing: stiffness is already negative at the smallest measured distance ("
                + sig3(lo)
                + "; the fitted line crosses 0 at d = "
                + sig3(at)
                + ")";
      }
      case NON_NEGATIVE_SLOPE -> {
        Matcher m = SLOPE.matcher(detail);
        yield m.find()
            ? "no crossing: stiffness does not fall with distance (fitted slope "
                + sig3(Double.parseDouble(m.group(1)))
                + ")"
            : null;
      }
      case TOO_FEW_PAIRS -> {
        Matcher m = TOO_FEW.matcher(detail);
        yield m.find()
            ? "not measured: too few pairs to fit ("
                + m.group(1)
                + " in the window, "
                + m.group(2)
                + " needed)"
            : null;
      }
      case INTERVAL_UNBOUNDED -> {
        Matcher m = UNBOUNDED.matcher(detail);
        yield m.find()
            ? sig3(Double.parseDouble(m.group(1)))
                + ", interval unbounded: "
                + m.group(2)
                + " of "
                + m.group(3)
                + " bootstrap resamples do not decay with distance"
            : null;
      }
    };
  }

  /** Every decimal number in {@code text} to 3 significant digits. */
  static String roundNumbers(String text) {
    Matcher m = ANY_NUMBER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(sig3(Double.parseDouble(m.group()))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * A number to 3 significant digits, in plain decimals where that is short: 2.33, 0.00631, 1.00,
   * 205, 1230; scientific below 1e-4 ({@code %.3g}).
   */
  static String sig3(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    if (Math.abs(v) >= 999.5) {
      return new BigDecimal(v).round(new MathContext(3)).setScale(0).toPlainString();
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
