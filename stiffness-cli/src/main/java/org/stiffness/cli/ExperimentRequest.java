package org.stiffness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.stiffness.report.Figure;
import picocli.CommandLine;

/**
 * The settings of one experiment, as its command's options give them: what {@code vision} and
 * {@code nlp} parse from a command line and run, and what {@code reproduce} writes down directly
 * and runs through the same code.
 */
sealed interface ExperimentRequest permits VisionRequest, NliRequest {

  /** The shared sweep settings, {@code --out} among them. */
  SweepSettings sweep();

  /** This request with {@code out} as its output directory. */
  ExperimentRequest into(Path out);

  /**
   * Runs the experiment into {@code sweep().out()}, as its command would.
   *
   * @param cli the command bad settings are reported against (exit code 2), and whose stderr shows
   *     the progress
   * @param out where the "wrote" line goes
   * @return the figures of the experiment's report, their files relative to its directory
   * @throws picocli.CommandLine.ParameterException for settings or data that cannot run
   */
  List<Figure> run(CommandLine cli, PrintWriter out) throws IOException;

  /**
   * The identity an interrupted run of this request records ({@link CommandIdentity}): its command
   * and {@link #arguments()}.
   */
  default CommandIdentity identity() {
    List<String> args = arguments();
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i + 1 < args.size(); i += 2) {
      options.put(args.get(i), args.get(i + 1));
    }
    return new CommandIdentity(args.get(0), options);
  }

  /**
   * The command line that asks for this request, without {@code --out} and without {@code
   * stiffness}: the options {@code reproduce} sets, in a fixed order (those left at the command's
   * defaults are not all shown).
   */
  List<String> arguments();

  /** Learning rates as typed, {@code 1e-4,1e-3,1e-2}. */
  static String rates(List<Double> lrs) {
    return lrs.stream().map(ExperimentRequest::rate).collect(Collectors.joining(","));
  }

  /** {@code 1e-3} for 0.001, {@code 2e-5}; a rate of 1 or more in plain digits. */
  private static String rate(double lr) {
    BigDecimal d = BigDecimal.valueOf(lr).stripTrailingZeros();
    return d.scale() <= 0 ? d.toPlainString() : d.unscaledValue() + "e-" + d.scale();
  }

  /** A number of epochs as typed: {@code 5}, {@code 0.5}. */
  static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
