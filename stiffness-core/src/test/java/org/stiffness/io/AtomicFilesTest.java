package org.stiffness.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    assertEquals("disk full", e.getMessage());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }
}
