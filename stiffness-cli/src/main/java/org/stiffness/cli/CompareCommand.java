package org.stiffness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stiffness.io.JsonSummary;
import org.stiffness.summary.SummaryComparison;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Two summaries' statistics side by side, e.g. a GPU run against the same run on the CPU. */
@Command(
    name = "compare",
    header = "Compares every number of two summary.json files, within tolerances.",
    mixinStandardHelpOptions = true,
    description = {
      "Compares every number of two summary.json files' runs (statistics, bins, xi, losses):"
          + " how many differ and the largest absolute difference, with where it is, over all"
          + " numbers and per quantity (the field holding a number: within_cos, pairs,"
          + " uncertain_sign_pairs...). Exits 1 when the shapes differ or a quantity's largest"
          + " difference exceeds its --within tolerance, else --tolerance."
    })
final class CompareCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "A", description = "A summary.json (or its directory).")
  Path first;

  @Parameters(index = "1", paramLabel = "B", description = "Another summary.json (or directory).")
  Path second;

  @Option(
      names = "--tolerance",
      paramLabel = "T",
      description = "Largest absolute difference allowed (default: any; shapes must agree).")
  Double tolerance;

  @Option(
      names = "--within",
      paramLabel = "QUANTITY=T",
      description =
          "Largest absolute difference allowed for one quantity (default: none, each takes"
              + " --tolerance); repeatable, e.g. pairs=0 within_cos=1.2e-4.")
  Map<String, Double> within = new LinkedHashMap<>();

  @Option(names = "--json", description = "Print one JSON object instead of a line.")
  boolean json;

  /**
   * What {@code --json} prints: the comparison and the quantities over their tolerance.
   *
   * @param comparison every number and every quantity
   * @param exceeding one line per quantity over its tolerance
   * @param passed whether the shapes agree and no quantity exceeds its tolerance
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Result(SummaryComparison comparison, List<String> exceeding, boolean passed) {}

  @Override
  public Integer call() throws IOException {
    if (tolerance != null && !(tolerance >= 0)) {
      throw new ParameterException(
          spec.commandLine(), "--tolerance must be a number >= 0, got " + tolerance);
    }
    for (Map.Entry<String, Double> e : within.entrySet()) {
      if (e.getValue() == null || !(e.getValue() >= 0)) {
        throw new ParameterException(
            spec.commandLine(),
            "--within "
                + e.getKey()
                + "="
                + e.getValue()
                + ": the tolerance must be a number >= 0");
      }
    }
    SummaryComparison c = SummaryComparison.of(read(first), read(second));
    List<String> exceeding =
        c.exceeding(within, tolerance == null ? Double.POSITIVE_INFINITY : tolerance);
    boolean ok = c.mismatches().isEmpty() && exceeding.isEmpty();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          JsonSummary.mapper()
              .writer()
              .without(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(new Result(c, exceeding, ok)));
    } else {
      // Differing shapes come first: the counts after them cover only the numbers both files
      // have, so "0 differ" alone would read as agreement.
      out.printf(
          Locale.ROOT,
          "%s%d numbers, %d differ, largest difference %.3g%s%s%n",
          c.mismatches().isEmpty()
              ? ""
              : "shapes differ: " + String.join("; ", c.mismatches()) + "; ",
          c.numbers(),
          c.differing(),
          c.largestDifference(),
          c.where() == null ? "" : " at " + c.where(),
          exceeding.isEmpty() ? "" : "; over tolerance: " + String.join("; ", exceeding));
    }
    out.flush();
    return ok ? 0 : StiffnessCli.FAILED;
  }

  private JsonNode read(Path path) throws IOException {
    Path file = Files.isDirectory(path) ? path.resolve("summary.json") : path;
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(spec.commandLine(), file + " is not a summary.json file");
    }
    try {
      return JsonSummary.mapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not JSON (" + e.getMessage() + ")", e);
    }
  }
}
