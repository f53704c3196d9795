package org.stiffness.nlp.mnli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/**
 * MultiNLI 1.0 JSONL lines: one object per line with (among others) the string fields {@code
 * gold_label}, {@code sentence1}, {@code sentence2}, {@code genre} and {@code pairID}.
 */
final class MultiNliJsonParser implements MnliLineParser {
  static final String PAIR_ID = "pairID";
  static final String GENRE = "genre";
  static final String PREMISE = "sentence1";
  static final String HYPOTHESIS = "sentence2";
  static final String GOLD_LABEL = "gold_label";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  MultiNliJsonParser(Path file) {
    this.file = file;
  }

  @Override
  public NliPair parse(String line, long lineNumber) throws MalformedMnliException {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new MalformedMnliException(
          file, lineNumber, "not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new MalformedMnliException(
          file, lineNumber, "expected one JSON object per line, found: " + abbreviate(line), null);
    }
    String gold = text(node, GOLD_LABEL, lineNumber);
    if (NliLabel.NO_GOLD_LABEL.equals(gold)) {
      return null;
    }
    String pairId = text(node, PAIR_ID, lineNumber);
    String premise = text(node, PREMISE, lineNumber);
    String hypothesis = text(node, HYPOTHESIS, lineNumber);
    String genre = text(node, GENRE, lineNumber);
    try {
      return new NliPair(pairId, premise, hypothesis, NliLabel.parse(gold), Genre.parse(genre));
    } catch (IllegalArgumentException e) {
      throw new MalformedMnliException(file, lineNumber, e.getMessage(), e);
    }
  }

  private String text(JsonNode node, String field, long lineNumber) throws MalformedMnliException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new MalformedMnliException(file, lineNumber, "missing field \"" + field + "\"", null);
    }
    if (!value.isTextual()) {
      throw new MalformedMnliException(
          file,
          lineNumber,
          "field \"" + field + "\" is " + value.getNodeType() + ", expected a string",
          null);
    }
    return value.textValue();
  }

  private static String abbreviate(String line) {
    return line.length() <= 60 ? line : line.substring(0, 60) + "...";
  }
}
