package org.stiffness.nlp.mnli;

/** Turns the data lines of one MNLI file into pairs; one implementation per format. */
interface MnliLineParser {

  /**
   * Parses one data line.
   *
   * @param line the line without its terminator
   * @param lineNumber 1-based line number in the file, for error messages
   * @return the pair, or {@code null} if the line has no gold label ({@code "-"})
   * @throws MalformedMnliException naming file, line and problem
   */
  NliPair parse(String line, long lineNumber) throws MalformedMnliException;
}
