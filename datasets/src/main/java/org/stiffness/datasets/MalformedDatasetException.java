package org.stiffness.datasets;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file that does not follow its format. The message always starts with the file and then
 * states the problem, e.g. {@code train-images-idx3-ubyte.gz: wrong magic: expected 2051 found
 * 2049}, so that a one-line error on the command line is enough to fix it.
 */
public final class MalformedDatasetException extends IOException {

  private final transient Path file;

  /** What is wrong with the file, without its name. */
  private final String problem;

  /**
   * @param file the offending file
   * @param problem what is wrong with it, without the file name
   */
  public MalformedDatasetException(Path file, String problem) {
    this(file, problem, null);
  }

  /**
   * @param file the offending file
   * @param problem what is wrong with it, without the file name
   * @param cause the low-level failure, if any
   */
  public MalformedDatasetException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }

  /** What is wrong with the file, without its name. */
  public String problem() {
    return problem;
  }
}
