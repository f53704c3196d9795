package org.stiffness.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which Python {@code --against pytorch} runs: fakes that have torch or lack it. */
class PythonTorchTest {

  @Test
  void theDefaultPythonIsFollowedByDebiansOwnAndANamedOneIsTriedAlone() {
    assertEquals(List.of("python3", "/usr/bin/python3"), PythonTorch.candidates("python3"));
    assertEquals(List.of("/opt/py/bin/python"), PythonTorch.candidates("/opt/py/bin/python"));
    assertEquals(List.of("/usr/bin/python3"), PythonTorch.candidates("/usr/bin/python3"));
  }

  @Test
  void theFirstCandidateThatImportsTorchIsFoundAndTheOthersBeforeItSayWhyNot(@TempDir Path dir)
      throws IOException {
    Path without =
        fake(dir.resolve("without"), "echo \"ModuleNotFoundError: No module named 'torch'\" >&2");
    Path with = fake(dir.resolve("with"), "echo 2.5.1+cpu");
    Path missing = dir.resolve("missing");
    PythonTorch.Search search =
        PythonTorch.find(List.of(missing.toString(), without.toString(), with.toString()));
    assertEquals(new PythonTorch(with.toString(), "2.5.1+cpu"), search.found());
    assertEquals(
        List.of(
            missing + ": not found", without + ": ModuleNotFoundError: No module named 'torch'"),
        search.tried());
  }

  @Test
  void noCandidateWithTorchIsOneLineWithTheInstallHint(@TempDir Path dir) throws IOException {
    Path without = fake(dir.resolve("without"), "exit 3");
    PythonTorch.Search search = PythonTorch.find(List.of(without.toString()));
    assertNull(search.found());
    String line = search.absentLine();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.startsWith("no Python with torch (" + without + ": exit 3): "), line);
    assertTrue(line.contains("pip install torch"), line);
  }

  private static Path fake(Path file, String body) throws IOException {
    Files.writeString(file, "#!/bin/bash\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
