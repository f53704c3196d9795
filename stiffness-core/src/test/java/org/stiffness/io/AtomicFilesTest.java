package org.stiffness.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writtenFilesGetTheUmaskPermissionsOfAnyNewFileAndNoTemporaryIsLeft() throws IOException {
    // Oracle: a file created plainly in the same directory follows the process umask; results
    // written atomically must be as shareable as that, not owner-only like createTempFile's.
    Path plain = Files.createFile(dir.resolve("plain"));
    Path written =
        AtomicFiles.writeStream(
            dir.resolve("out.txt"), out -> out.write("hello".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(written));
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of("out.txt", "plain"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aFailedWriteLeavesNeitherTargetNorTemporary() throws IOException {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.writeStream(
                    dir.resolve("broken"),
                    out -> {
                      out.write(1);
                      throw new IOException("disk full");
                    }));
    assertEquals("cannot write " + dir.resolve("broken") + ": disk full", e.getMessage());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void aFullDiskUnderAnImageWriterIsReportedWithThePathAndTheSystemsReason() {
    // What ImageIO throws when the disk fills under it: its own words name neither.
    Path target = dir.resolve("plots/heatmap.png");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.writeStream(
                    target,
                    out -> {
                      throw new IIOException(
                          "I/O error writing PNG file!",
                          new IOException("No space left on device"));
                    }));
    assertEquals("cannot write " + target + ": No space left on device", e.getMessage());
  }

  @Test
  void aDirectoryThatCannotBeMadeIsNamed() throws IOException {
    Files.writeString(dir.resolve("plots"), "a file where a directory should be");
    Path target = dir.resolve("plots/heatmap.png");
    IOException e =
        assertThrows(IOException.class, () -> AtomicFiles.writeStream(target, out -> out.write(1)));
    assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
    assertTrue(
        e.getMessage().endsWith("FileAlreadyExistsException: " + dir.resolve("plots")),
        e.getMessage());
  }
}
