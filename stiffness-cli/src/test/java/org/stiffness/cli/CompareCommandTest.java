package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
  @TempDir Path temp;

  private Path summary(String name, String runs) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, "{\"config\": {\"device\": \"" + name + "\"}, \"runs\": " + runs + "}");
    return file;
  }

  @Test
  void theLargestDifferenceIsNamedAndJudgedAgainstTheTolerance() throws IOException {
    Path a = summary("a", "[{\"lr\": 0.01, \"checkpoints\": [{\"xi\": 1.25, \"bins\": [1, 2]}]}]");
    Path b =
        summary("b", "[{\"lr\": 0.01, \"checkpoints\": [{\"xi\": 1.2503, \"bins\": [1, 2]}]}]");
    Run same = Run.of("compare", a.toString(), a.toString());
    assertEquals(0, same.exitCode(), same.err());
    assertTrue(same.out().startsWith("4 numbers, 0 differ, largest difference 0"), same.out());

    Run loose = Run.of("compare", a.toString(), b.toString(), "--tolerance", "1e-3");
    assertEquals(0, loose.exitCode(), loose.err());
    assertTrue(loose.out().contains("1 differ, largest difference 0.000300"), loose.out());
    assertTrue(loose.out().contains("at runs[0].checkpoints[0].xi"), loose.out());
    Run tight = Run.of("compare", a.toString(), b.toString(), "--tolerance", "1e-5");
    assertEquals(1, tight.exitCode(), tight.out());
  }

  @Test
  void differentShapesFail() throws IOException {
    Path a = summary("a", "[{\"lr\": 0.01, \"checkpoints\": [{\"xi\": 1.25}]}]");
    Path b = summary("b", "[{\"lr\": 0.01, \"checkpoints\": [{\"xi\": null}]}]");
    Run r = Run.of("compare", a.toString(), b.toString(), "--json");
    assertEquals(1, r.exitCode());
    assertTrue(r.out().contains("runs[0].checkpoints[0].xi is 1.25 against null"), r.out());
    Run text = Run.of("compare", a.toString(), b.toString());
    assertEquals(1, text.exitCode());
    // The shape difference leads: the counts after it cover only the numbers both files have.
    assertTrue(
        text.out().startsWith("shapes differ: runs[0].checkpoints[0].xi is 1.25 against null; "),
        text.out());
    assertTrue(text.out().contains("numbers, 0 differ"), text.out());
    Run missing = Run.of("compare", a.toString(), temp.resolve("none.json").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("none.json is not a summary.json file"), missing.err());
  }

  @Test
  void eachQuantityIsJudgedAgainstItsOwnTolerance() throws IOException {
    // pairs differ by 1, within_cos by 5e-5, xi by 0.1; the reasons name one cause with other
    // numbers, which is the same outcome.
    Path a =
        summary(
            "a",
            "[{\"checkpoints\": [{\"pairs\": 100, \"within_cos\": 0.5, \"xi\": {\"value\": 1.0,"
                + " \"reason\": \"crossing_outside_range: fitted crossing at d = 2.5\"}}]}]");
    Path b =
        summary(
            "b",
            "[{\"checkpoints\": [{\"pairs\": 101, \"within_cos\": 0.50005, \"xi\": {\"value\": 1.1,"
                + " \"reason\": \"crossing_outside_range: fitted crossing at d = 2.6\"}}]}]");

    Run countsExact =
        Run.of(
            "compare",
            a.toString(),
            b.toString(),
            "--within",
            "pairs=0",
            "--within",
            "within_cos=1e-4",
            "--tolerance",
            "0.2");
    assertEquals(1, countsExact.exitCode(), countsExact.out());
    assertTrue(
        countsExact
            .out()
            .contains("over tolerance: pairs: 1.00 at runs[0].checkpoints[0].pairs > 0"),
        countsExact.out());
    assertTrue(!countsExact.out().contains("within_cos:"), countsExact.out());

    Run within =
        Run.of(
            "compare",
            a.toString(),
            b.toString(),
            "--within",
            "pairs=1",
            "--within",
            "within_cos=1e-4",
            "--tolerance",
            "0.2");
    assertEquals(0, within.exitCode(), within.out());
    assertTrue(within.out().startsWith("3 numbers, 3 differ"), within.out());

    // A quantity not named takes --tolerance: value differs by 0.1 > 0.05.
    Run others =
        Run.of(
            "compare",
            a.toString(),
            b.toString(),
            "--within",
            "pairs=1",
            "--within",
            "within_cos=1e-4",
            "--tolerance",
            "0.05",
            "--json");
    assertEquals(1, others.exitCode(), others.out());
    assertTrue(others.out().contains("\"value\":{\"numbers\":1,\"differing\":1"), others.out());
    assertTrue(others.out().contains("\"passed\":false"), others.out());
    assertTrue(
        others.out().contains("value: 0.100 at runs[0].checkpoints[0].xi.value > 0.0500"),
        others.out());

    Run bad = Run.of("compare", a.toString(), b.toString(), "--within", "pairs=-1");
    assertEquals(2, bad.exitCode());
    assertTrue(
        bad.err().contains("--within pairs=-1.0: the tolerance must be a number >= 0"), bad.err());
  }
}
