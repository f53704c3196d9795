package org.stiffness.nlp.mnli;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A line of an MNLI file that does not follow the file's format. The message reads {@code
 * file:line: problem} (e.g. {@code dev_matched.tsv:7: 15 tab-separated columns, the header has
 * 16}), so a one-line error is enough to find and fix the line.
 */
public final class MalformedMnliException extends IOException {

  private final transient Path file;

  /** The 1-based line at fault (the GLUE header is line 1). */
  private final long line;

  /** What is wrong with it, without the file name. */
  private final String problem;

  /**
   * @param file the offending file
   * @param line 1-based line number (the GLUE header is line 1)
   * @param problem what is wrong, without file and line
   * @param cause the low-level failure, if any
   */
  public MalformedMnliException(Path file, long line, String problem, Throwable cause) {
    super(file + ":" + line + ": " + problem, cause);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }

  /** 1-based line number. */
  public long line() {
    return line;
  }

  /** What is wrong with the line. */
  public String problem() {
    return problem;
  }
}
