package org.stiffness.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code stiffness} command: measurements of the stiffness (Fort et al., arXiv:1901.09491) of
 * neural networks from exact per-example-gradient Gram matrices.
 *
 * <p>Errors are reported as one line, {@code stiffness: <message>}, on stderr with a non-zero exit
 * code (2 for bad arguments, 1 for failures while running); stack traces are not shown.
 */
@Command(
    name = "stiffness",
    mixinStandardHelpOptions = true,
    versionProvider = StiffnessCli.Version.class,
    description = {
      "Measures the stiffness of neural networks (Fort et al., arXiv:1901.09491) exactly, from"
          + " per-example-gradient Gram matrices. Start with `stiffness demo` (about a minute on a"
          + " CPU, no data needed), then `stiffness vision` or `stiffness nlp` on your data;"
          + " `stiffness doctor` checks the set-up.",
      "Help on one command: stiffness COMMAND --help."
    },
    subcommands = {
      DemoCommand.class,
      VisionCommand.class,
      NlpCommand.class,
      InfluenceCommand.class,
      BenchCommand.class,
      MeasureCommand.class,
      MergeCommand.class,
      SlurmCommand.class,
      CompareCommand.class,
      ReproduceCommand.class,
      DoctorCommand.class,
      CommandLine.HelpCommand.class
    })
public final class StiffnessCli implements Runnable {
  /** Columns of the usage help, wrapped at whitespace only ({@link HelpWrapping}). */
  static final int HELP_WIDTH = 100;

  /** The widest option label that still leaves its description on the same line. */
  private static final int HELP_OPTION_COLUMN = 28;

  /** Exit code of a failure while running (bad arguments exit with picocli's usage code, 2). */
  static final int FAILED = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a subcommand the command explains itself. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Runs one command and exits with its status (non-zero on any error). */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests run it in-process with their own out/err writers. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new StiffnessCli());
    // Every Path option of every subcommand (registered after they are all added).
    cli.registerConverter(Path.class, new Converters.FilePath());
    // After the subcommands are added: these settings reach the whole hierarchy present now.
    cli.setUsageHelpLongOptionsMaxWidth(HELP_OPTION_COLUMN);
    HelpWrapping.install(cli, HELP_WIDTH);
    cli.setParameterExceptionHandler(StiffnessCli::badArguments);
    cli.setExecutionExceptionHandler(StiffnessCli::failed);
    return cli;
  }

  /**
   * Reports an error of a command run in-process as {@link CommandLine#execute} reports it: one
   * line on stderr.
   *
   * @return the exit code the command would have exited with
   */
  static int reportError(Exception e, CommandLine cli) {
    return e instanceof CommandLine.ParameterException p
        ? badArguments(p, new String[0])
        : failed(e, cli, null);
  }

  private static int badArguments(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    err.println("stiffness: " + oneLine(e.getMessage()));
    err.flush();
    return cli.getCommandSpec().exitCodeOnInvalidInput();
  }

  private static int failed(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
    PrintWriter err = cli.getErr();
    err.println("stiffness: " + oneLine(describe(e)));
    err.flush();
    return FAILED;
  }

  /** The innermost message worth showing, or the exception type when nothing says more. */
  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }

  /** A message as one line: line breaks become "; ". */
  static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  /**
   * Versions baked in at build time: {@code version} (the application), {@code djl} and {@code
   * pytorch} (the libtorch whose native jar and JNI the build ships).
   */
  static Properties buildProperties() {
    Properties p = new Properties();
    try (InputStream in = StiffnessCli.class.getResourceAsStream("/stiffness-cli.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // A development build without the filtered resource: the callers print "?".
    }
    return p;
  }

  /** Versions baked in at build time (the application, DJL and the libtorch it was built for). */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties p = buildProperties();
      return new String[] {
        "stiffness " + p.getProperty("version", "development"),
        "DJL " + p.getProperty("djl", "?") + ", PyTorch " + p.getProperty("pytorch", "?")
      };
    }
  }
}
