package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code bench} says on stderr while it runs: its progress lines and the loop's estimate. */
class BenchProgressTest {

  @Test
  void eachTimedRunIsCountedOnceAndTheComparisonGramHasItsOwnName() {
    Output output = bench("--model", "fc", "--n", "8", "--path", "all", "--repeats", "3");
    List<String> lines = output.progress.lines().toList();
    long first = count(lines, "generic run 1/3: ");
    assertTrue(first > 0, output.progress);
    // Every run has the same tiles, so the same number of lines; before the fix the untimed Gram
    // that compares the paths was shown as run 3/3 again (1/3, 2/3, 3/3, 3/3).
    assertEquals(first, count(lines, "generic run 2/3: "), output.progress);
    assertEquals(first, count(lines, "generic run 3/3: "), output.progress);
    assertEquals(
        first, count(lines, "generic Gram for comparing the paths (untimed): "), output.progress);
  }

  @Test
  void theLoopSaysHowLongItWillTakeBeforeItsTimedRuns() {
    Output all = bench("--model", "fc", "--n", "8", "--path", "all", "--repeats", "3");
    assertTrue(
        all.err.contains("stiffness: the batch-of-one loop (generic path) will take about "),
        all.err);
    // Three timed runs and the Gram that compares the two paths.
    assertTrue(all.err.contains(": 4 computation(s) of 8 examples in 1 tile(s)"), all.err);
    int announced = all.progress.indexOf("generic estimate");
    int firstRun = all.progress.indexOf("generic run 1/3");
    assertTrue(announced >= 0 && announced < firstRun, all.progress);

    Output probe = bench("--model", "fc", "--n", "8", "--repeats", "1");
    assertFalse(probe.err.contains("batch-of-one loop"), probe.err);
    assertFalse(probe.progress.contains("generic"), "probe is the default path: " + probe.progress);
  }

  @Test
  void durationsReadAsSecondsThenMinutes() {
    assertEquals("0 s", PathTimer.duration(0.2));
    assertEquals("45 s", PathTimer.duration(45.4));
    assertEquals("119 s", PathTimer.duration(119.4));
    assertEquals("3 min 20 s", PathTimer.duration(200));
  }

  private static long count(List<String> lines, String label) {
    return lines.stream().filter(l -> l.startsWith("stiffness: " + label)).count();
  }

  /** The command's stderr writer, and the progress lines TileProgress writes to System.err. */
  private record Output(String err, String progress) {}

  private static Output bench(String... args) {
    // System.err is swapped before the command line is made: picocli's execution strategy keeps
    // the System.err of its making and replaces a writer set by setErr when the two differ.
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
    StringWriter err = new StringWriter();
    try {
      CommandLine cli = StiffnessCli.commandLine();
      BenchCommand command = cli.getSubcommands().get("bench").getCommand();
      command.progressLineIntervalNanos = 0; // every tile callback prints its line
      cli.setOut(new PrintWriter(new StringWriter(), true));
      cli.setErr(new PrintWriter(err, true));
      String[] full = new String[args.length + 1];
      full[0] = "bench";
      System.arraycopy(args, 0, full, 1, args.length);
      assertEquals(0, cli.execute(full), err.toString());
    } finally {
      System.setErr(saved);
    }
    return new Output(err.toString(), progress.toString(StandardCharsets.UTF_8));
  }
}
