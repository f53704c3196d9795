package org.stiffness.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

  /**
   * Writes {@code target} atomically through a channel.
   *
   * @throws IOException {@code cannot write <target>: <cause>}, the cause as the system gave it
   *     ("No space left on device"): the writer's own message (an image writer's "I/O error writing
   *     PNG file!") names neither
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    try {
      writeOrFail(absolute, writer);
    } catch (IOException e) {
      throw new IOException("cannot write " + absolute + ": " + reason(e), e);
    }
  }

  /** The innermost cause's own words, without the temporary file's name. */
  static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof NoSuchFileException) {
      return "no such file or directory: " + ((FileSystemException) t).getFile();
    }
    if (t instanceof AccessDeniedException) {
      return "permission denied: " + ((FileSystemException) t).getFile();
    }
    if (t instanceof FileSystemException fs) {
      return fs.getReason() != null
          ? fs.getReason()
          : fs.getClass().getSimpleName() + ": " + fs.getFile();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static void writeOrFail(Path absolute, Writer writer) throws IOException {
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
