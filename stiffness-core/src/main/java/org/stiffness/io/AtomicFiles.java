package org.stiffness.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file so that readers see either the old file or the complete new one, never a partial
 * write: content goes to a temporary file in the same directory (same file system, so the rename is
 * atomic), is forced to disk, then renamed over the target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the content of a file through a channel. */
  public interface Writer {
    /** Writes the whole content to {@code channel}. */
    void write(FileChannel channel) throws IOException;
  }

  /** Writes the content of a file to a stream (which the caller must not close). */
  public interface StreamWriter {
    /** Writes the whole content to {@code out}. */
    void write(OutputStream out) throws IOException;
  }

  /** Writes {@code target} atomically from a stream; returns its absolute path. */
  public static Path writeStream(Path target, StreamWriter writer) throws IOException {
    write(
        target,
        channel -> {
          OutputStream out = Channels.newOutputStream(channel);
          writer.write(out);
          out.flush();
        });
    return target.toAbsolutePath();
  }

  /** Writes {@code target} atomically through a channel. */
  public static void write(Path target, Writer writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    // A unique name opened with CREATE_NEW rather than createTempFile: createTempFile makes the
    // file owner-only (0600), and results are meant to be shared; CREATE_NEW follows the umask.
    Path tmp = dir.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        writer.write(ch);
        ch.force(true);
      }
      Files.move(
          tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
