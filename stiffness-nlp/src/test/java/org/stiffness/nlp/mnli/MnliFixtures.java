package org.stiffness.nlp.mnli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Test data support, not MNLI data: writes tiny files in the exact published MNLI formats (GLUE TSV
 * with its header and parse-tree columns, MultiNLI 1.0 JSONL with Python's {@code json.dumps}
 * layout), so that tests anywhere in the project can build an MNLI directory without the real 330
 * MB download.
 *
 * <p>The built-in rows of each split hold two pairs per label and one pair without gold label
 * ({@code "-"}), include unescaped double quotes (as GLUE's sentences do), and use the genres of
 * their split (matched genres for train and dev_matched, mismatched ones for dev_mismatched).
 */
public final class MnliFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MnliFixtures() {}

  /**
   * One line of an MNLI file as published.
   *
   * @param promptId {@code promptID}
   * @param pairId {@code pairID}
   * @param genre the genre
   * @param premise {@code sentence1}
   * @param hypothesis {@code sentence2}
   * @param annotatorLabels {@code label1..labelK} / {@code annotator_labels} (1 in train, 5 in dev)
   * @param goldLabel {@code gold_label}, a label's file name or {@code "-"}
   */
  public record Row(
      String promptId,
      String pairId,
      Genre genre,
      String premise,
      String hypothesis,
      List<String> annotatorLabels,
      String goldLabel) {
    public Row {
      Objects.requireNonNull(promptId, "promptId");
      Objects.requireNonNull(pairId, "pairId");
      Objects.requireNonNull(genre, "genre");
      Objects.requireNonNull(premise, "premise");
      Objects.requireNonNull(hypothesis, "hypothesis");
      annotatorLabels = List.copyOf(annotatorLabels);
      Objects.requireNonNull(goldLabel, "goldLabel");
    }
  }

  /** The built-in rows of {@code split}: two per label and one without gold label. */
  public static List<Row> rows(MnliSplit split) {
    return switch (split) {
      case TRAIN ->
          List.of(
              row1(
                  "1001",
                  "e",
                  Genre.FICTION,
                  "The cat sat on the mat.",
                  "A cat is sitting.",
                  "entailment"),
              row1(
                  "1002",
                  "n",
                  Genre.GOVERNMENT,
                  "The committee met on Monday.",
                  "The committee met to discuss the budget.",
                  "neutral"),
              row1(
                  "1003",
                  "c",
                  Genre.SLATE,
                  "She said \"no\" to the offer.",
                  "She accepted the offer.",
                  "contradiction"),
              row1(
                  "1004",
                  "e",
                  Genre.TELEPHONE,
                  "yeah i went to the store",
                  "i went somewhere",
                  "entailment"),
              row1(
                  "1005",
                  "n",
                  Genre.TRAVEL,
                  "The museum opens at nine.",
                  "The museum is popular with tourists.",
                  "neutral"),
              row1(
                  "1006",
                  "c",
                  Genre.FICTION,
                  "He never left the house.",
                  "He walked to the park.",
                  "contradiction"),
              new Row(
                  "1007",
                  "1007n",
                  Genre.GOVERNMENT,
                  "The report was \"late.",
                  "The report came in time.",
                  List.of("neutral"),
                  NliLabel.NO_GOLD_LABEL));
      case DEV_MATCHED ->
          List.of(
              row5(
                  "2001",
                  "e",
                  Genre.SLATE,
                  "The dog barked at the mailman.",
                  "A dog made noise.",
                  "entailment"),
              row5(
                  "2002",
                  "n",
                  Genre.TRAVEL,
                  "The hotel is near the beach.",
                  "The hotel is expensive.",
                  "neutral"),
              row5(
                  "2003",
                  "c",
                  Genre.TELEPHONE,
                  "i don't like \"reality\" shows",
                  "i love reality shows",
                  "contradiction"),
              row5(
                  "2004",
                  "e",
                  Genre.GOVERNMENT,
                  "The law passed in 1999.",
                  "The law passed.",
                  "entailment"),
              row5(
                  "2005",
                  "n",
                  Genre.FICTION,
                  "She opened the door slowly.",
                  "She was afraid.",
                  "neutral"),
              row5(
                  "2006",
                  "c",
                  Genre.SLATE,
                  "The film was a success.",
                  "The film failed.",
                  "contradiction"),
              new Row(
                  "2007",
                  "2007c",
                  Genre.TRAVEL,
                  "The road is closed in winter.",
                  "The road is open all year.",
                  List.of("contradiction", "neutral", "entailment", "neutral", "contradiction"),
                  NliLabel.NO_GOLD_LABEL));
      case DEV_MISMATCHED ->
          List.of(
              row5(
                  "3001",
                  "e",
                  Genre.FACETOFACE,
                  "We talked for an hour.",
                  "We talked.",
                  "entailment"),
              row5(
                  "3002",
                  "n",
                  Genre.LETTERS,
                  "Thank you for your gift.",
                  "The gift was a book.",
                  "neutral"),
              row5(
                  "3003",
                  "c",
                  Genre.NINEELEVEN,
                  "The plane left on time.",
                  "The plane never left.",
                  "contradiction"),
              row5(
                  "3004",
                  "e",
                  Genre.OUP,
                  "Wool is spun into \"yarn\".",
                  "Wool becomes yarn.",
                  "entailment"),
              row5(
                  "3005",
                  "n",
                  Genre.VERBATIM,
                  "Words change over time.",
                  "Words change quickly.",
                  "neutral"),
              row5(
                  "3006",
                  "c",
                  Genre.LETTERS,
                  "Your donation arrived today.",
                  "Your donation is lost.",
                  "contradiction"),
              new Row(
                  "3007",
                  "3007e",
                  Genre.OUP,
                  "The book has ten chapters.",
                  "The book is long.",
                  List.of("entailment", "neutral", "contradiction", "neutral", "entailment"),
                  NliLabel.NO_GOLD_LABEL));
    };
  }

  private static Row row1(
      String prompt, String suffix, Genre genre, String premise, String hypothesis, String gold) {
    return new Row(prompt, prompt + suffix, genre, premise, hypothesis, List.of(gold), gold);
  }

  private static Row row5(
      String prompt, String suffix, Genre genre, String premise, String hypothesis, String gold) {
    return new Row(
        prompt,
        prompt + suffix,
        genre,
        premise,
        hypothesis,
        List.of(gold, gold, "neutral", gold, gold),
        gold);
  }

  /**
   * Writes the built-in rows of the three splits under the GLUE names ({@code train.tsv} with one
   * annotator column, the dev files with five).
   *
   * @return {@code dir}
   */
  public static Path writeGlueDirectory(Path dir) throws IOException {
    for (MnliSplit split : MnliSplit.values()) {
      writeGlueTsv(
          dir.resolve(MnliFormat.GLUE_TSV.fileName(split)),
          rows(split),
          split == MnliSplit.TRAIN ? 1 : 5);
    }
    return dir;
  }

  /**
   * Writes the built-in rows of the three splits under the MultiNLI 1.0 names.
   *
   * @return {@code dir}
   */
  public static Path writeMultiNliDirectory(Path dir) throws IOException {
    for (MnliSplit split : MnliSplit.values()) {
      writeMultiNliJsonl(dir.resolve(MnliFormat.MULTINLI_JSONL.fileName(split)), rows(split));
    }
    return dir;
  }

  /**
   * Writes a GLUE MNLI TSV file: header {@code index promptID pairID genre sentence1_binary_parse
   * sentence2_binary_parse sentence1_parse sentence2_parse sentence1 sentence2 label1 .. labelK
   * gold_label}, one tab-separated line per row, no quoting.
   *
   * @param labelColumns K, the number of annotator columns (GLUE: 1 in train, 5 in dev)
   */
  public static void writeGlueTsv(Path file, List<Row> rows, int labelColumns) throws IOException {
    List<String> header =
        new ArrayList<>(
            List.of(
                "index",
                "promptID",
                "pairID",
                "genre",
                "sentence1_binary_parse",
                "sentence2_binary_parse",
                "sentence1_parse",
                "sentence2_parse",
                "sentence1",
                "sentence2"));
    for (int k = 1; k <= labelColumns; k++) {
      header.add("label" + k);
    }
    header.add("gold_label");
    List<String> lines = new ArrayList<>();
    lines.add(String.join("\t", header));
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      if (row.annotatorLabels().size() != labelColumns) {
        throw new IllegalArgumentException(
            "row "
                + i
                + " has "
                + row.annotatorLabels().size()
                + " annotator labels, the file "
                + labelColumns);
      }
      List<String> cells =
          new ArrayList<>(
              List.of(
                  Integer.toString(i),
                  row.promptId(),
                  row.pairId(),
                  row.genre().fileName(),
                  binaryParse(row.premise()),
                  binaryParse(row.hypothesis()),
                  parse(row.premise()),
                  parse(row.hypothesis()),
                  row.premise(),
                  row.hypothesis()));
      cells.addAll(row.annotatorLabels());
      cells.add(row.goldLabel());
      lines.add(String.join("\t", cells));
    }
    writeLines(file, lines);
  }

  /**
   * Writes a MultiNLI 1.0 JSONL file: one object per line with the published keys in the published
   * (alphabetical) order, separators {@code ", "} and {@code ": "} as Python wrote them.
   */
  public static void writeMultiNliJsonl(Path file, List<Row> rows) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Row row : rows) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("annotator_labels", row.annotatorLabels());
      fields.put("genre", row.genre().fileName());
      fields.put("gold_label", row.goldLabel());
      fields.put("pairID", row.pairId());
      fields.put("promptID", row.promptId());
      fields.put("sentence1", row.premise());
      fields.put("sentence1_binary_parse", binaryParse(row.premise()));
      fields.put("sentence1_parse", parse(row.premise()));
      fields.put("sentence2", row.hypothesis());
      fields.put("sentence2_binary_parse", binaryParse(row.hypothesis()));
      fields.put("sentence2_parse", parse(row.hypothesis()));
      lines.add(
          fields.entrySet().stream()
              .map(e -> json(e.getKey()) + ": " + json(e.getValue()))
              .collect(Collectors.joining(", ", "{", "}")));
    }
    writeLines(file, lines);
  }

  /**
   * Every word and punctuation mark of the built-in rows, lower-cased, split as BERT's
   * pre-tokenizer splits them (whitespace and punctuation), sorted: a vocabulary under which the
   * fixtures tokenise without {@code [UNK]}.
   */
  public static List<String> vocabulary() {
    TreeSet<String> words = new TreeSet<>();
    for (MnliSplit split : MnliSplit.values()) {
      for (Row row : rows(split)) {
        words.addAll(words(row.premise()));
        words.addAll(words(row.hypothesis()));
      }
    }
    return List.copyOf(words);
  }

  /** Lower-cased words and ASCII punctuation marks, split as BertPreTokenizer splits ASCII. */
  static List<String> words(String text) {
    StringBuilder spaced = new StringBuilder();
    for (char ch : text.toLowerCase(Locale.ROOT).toCharArray()) {
      boolean punctuation = ch < 128 && !Character.isLetterOrDigit(ch) && ch > ' ';
      spaced.append(punctuation ? " " + ch + " " : String.valueOf(ch));
    }
    List<String> out = new ArrayList<>();
    for (String w : spaced.toString().trim().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  // The parse columns are never read; they are filled so that the column layout is the real one.
  private static String binaryParse(String sentence) {
    return "( " + String.join(" ", sentence.split("\\s+")) + " )";
  }

  private static String parse(String sentence) {
    StringBuilder sb = new StringBuilder("(ROOT (S");
    for (String w : sentence.split("\\s+")) {
      sb.append(" (X ").append(w).append(')');
    }
    return sb.append("))").toString();
  }

  private static String json(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(MnliFixtures::json).collect(Collectors.joining(", ", "[", "]"));
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeLines(Path file, List<String> lines) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
