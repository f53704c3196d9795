package org.stiffness.nlp.mnli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * GLUE MNLI TSV lines. Columns are found by header name, not position: train has {@code label1}
 * only and dev has {@code label1..label5} before {@code gold_label}. Lines are split on tabs alone,
 * because GLUE's sentences contain unescaped double quotes that a CSV parser would treat as
 * quoting.
 */
final class GlueTsvParser implements MnliLineParser {
  static final String PAIR_ID = "pairID";
  static final String GENRE = "genre";
  static final String PREMISE = "sentence1";
  static final String HYPOTHESIS = "sentence2";
  static final String GOLD_LABEL = "gold_label";

  private final Path file;
  private final int columns;
  private final int pairId;
  private final int genre;
  private final int premise;
  private final int hypothesis;
  private final int goldLabel;

  private GlueTsvParser(Path file, List<String> header) {
    this.file = file;
    this.columns = header.size();
    this.pairId = header.indexOf(PAIR_ID);
    this.genre = header.indexOf(GENRE);
    this.premise = header.indexOf(PREMISE);
    this.hypothesis = header.indexOf(HYPOTHESIS);
    this.goldLabel = header.indexOf(GOLD_LABEL);
  }

  /**
   * A parser for the file whose first line is {@code header}.
   *
   * @throws MalformedMnliException (line 1) if the file is empty or a needed column is missing
   */
  static GlueTsvParser fromHeader(Path file, String header) throws MalformedMnliException {
    if (header == null) {
      throw new MalformedMnliException(
          file,
          1,
          "empty file, expected the GLUE header line (index, promptID, pairID, ...)",
          null);
    }
    List<String> names = Arrays.asList(header.split("\t", -1));
    List<String> missing = new ArrayList<>();
    for (String needed : List.of(PAIR_ID, GENRE, PREMISE, HYPOTHESIS, GOLD_LABEL)) {
      if (!names.contains(needed)) {
        missing.add(needed);
      }
    }
    if (!missing.isEmpty()) {
      throw new MalformedMnliException(
          file,
          1,
          "header lacks column(s) "
              + String.join(", ", missing)
              + "; expected a GLUE MNLI header, found: "
              + String.join(" ", names),
          null);
    }
    return new GlueTsvParser(file, names);
  }

  @Override
  public NliPair parse(String line, long lineNumber) throws MalformedMnliException {
    String[] cells = line.split("\t", -1);
    if (cells.length != columns) {
      throw new MalformedMnliException(
          file,
          lineNumber,
          cells.length + " tab-separated columns, the header has " + columns,
          null);
    }
    String gold = cells[goldLabel];
    if (NliLabel.NO_GOLD_LABEL.equals(gold)) {
      return null;
    }
    try {
      return new NliPair(
          cells[pairId],
          cells[premise],
          cells[hypothesis],
          NliLabel.parse(gold),
          Genre.parse(cells[genre]));
    } catch (IllegalArgumentException e) {
      throw new MalformedMnliException(file, lineNumber, e.getMessage(), e);
    }
  }
}
