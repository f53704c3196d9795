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
    Run missing = Run.of("compare", a.toString(), temp.resolve("none.json").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("none.json is not a summary.json file"), missing.err());
  }
}
