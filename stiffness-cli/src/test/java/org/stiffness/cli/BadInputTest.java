package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BadInputTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--model, mlp",
    "--n, 1",
    "--n, 0",
    "--n, many",
    "--memory-budget, lots",
    "--memory-budget, -2g",
    "--precision, fp8",
    "--device, tpu0",
    "--path, fastest",
    "--repeats, 0",
    "--block-size, -4",
  })
  void badOptionValueFailsWithOneLineNamingIt(String option, String value) {
    String[] args =
        option.equals("--model")
            ? new String[] {"bench", option, value}
            : new String[] {"bench", "--model", "fc", option, value};
    Run run = Run.of(args);
    assertNotEquals(0, run.exitCode());
    assertOneLineNaming(run, value);
  }

  @Test
  void missingModelFailsWithOneLine() {
    Run run = Run.of("bench");
    assertNotEquals(0, run.exitCode());
    assertOneLineNaming(run, "--model");
  }

  @Test
  void unknownSubcommandFailsWithOneLine() {
    Run run = Run.of("benchmark");
    assertNotEquals(0, run.exitCode());
    assertOneLineNaming(run, "benchmark");
  }

  @Test
  void budgetTooSmallForOneExampleFailsWhileRunningWithOneLine() {
    Run run =
        Run.of("bench", "--model", "fc", "--n", "4", "--path", "probe", "--memory-budget", "1k");
    assertEquals(StiffnessCli.FAILED, run.exitCode());
    assertOneLineNaming(run, "1.00 KiB");
  }

  @Test
  void absentGpuFailsWithOneLine() {
    Run run = Run.of("bench", "--model", "fc", "--n", "4", "--device", "gpu7");
    assertNotEquals(0, run.exitCode());
    assertOneLineNaming(run, "gpu7");
  }

  @Test
  void versionAndHelpSucceed() {
    Run version = Run.of("--version");
    assertEquals(0, version.exitCode());
    assertTrue(version.out().startsWith("stiffness "), version.out());
    Run help = Run.of("bench", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--memory-budget"), help.out());
  }

  private static void assertOneLineNaming(Run run, String value) {
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), "expected one line on stderr, got:\n" + err);
    assertTrue(err.startsWith("stiffness: "), err);
    assertTrue(err.contains(value), "message does not name '" + value + "': " + err);
    assertTrue(run.out().isEmpty(), "nothing on stdout, got:\n" + run.out());
  }
}
