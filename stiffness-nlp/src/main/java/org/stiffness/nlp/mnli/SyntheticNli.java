package org.stiffness.nlp.mnli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.stiffness.nlp.text.WordPieceVocabulary;

/**
 * A small learnable NLI task written in the real MNLI format (GLUE's TSV files) with a tokenizer of
 * its own words: {@code stiffness nlp --synthetic} runs the NLI pipeline on it, so that the command
 * can be tried without MNLI or a tokenizer file, and tests train on it. It is not MNLI data.
 *
 * <p>Premise: "the SUBJECT VERB in the PLACE." (always 7 tokens). Entailment: "yes, the SUBJECT
 * VERB." (the premise's own subject and verb); contradiction: "no, the SUBJECT never VERB.";
 * neutral: "maybe another SUBJECT2 also VERB2." with a different subject and verb. Each label has
 * its own first hypothesis word, always at the same position, so a tiny encoder learns the task
 * within a few hundred steps from scratch (a single differing word at varying positions, as in "the
 * cat runs" against "the cat never runs", left a tiny encoder at two thirds accuracy for hundreds
 * of steps); genres cycle through the split's genres, so they carry no label information.
 */
public final class SyntheticNli {
  private static final List<String> SUBJECTS =
      List.of("cat", "dog", "bird", "fish", "horse", "goat", "mouse", "frog", "duck", "bear");
  private static final List<String> VERBS =
      List.of(
          "runs", "sleeps", "eats", "swims", "sings", "jumps", "reads", "walks", "waits", "hides");
  private static final List<String> PLACES =
      List.of("park", "house", "garden", "river", "city", "forest", "field", "kitchen");
  private static final List<String> FUNCTION_WORDS =
      List.of("the", "in", "never", "another", "also", "yes", "no", "maybe", ".", ",");

  /** The tokenizer file {@link #writeGlueDirectory} writes beside the data. */
  public static final String TOKENIZER = "tokenizer.json";

  private SyntheticNli() {}

  /**
   * Writes {@code train.tsv}, {@code dev_matched.tsv} and {@code dev_mismatched.tsv} (GLUE layout)
   * plus a matching {@code tokenizer.json} into {@code dir}.
   *
   * @param trainPairs labelled pairs in train (dev files get a quarter each, at least 9)
   * @param seed seed of the sentences
   * @return {@code dir}
   */
  public static Path writeGlueDirectory(Path dir, int trainPairs, long seed) throws IOException {
    return writeGlueDirectory(dir, trainPairs, Math.max(9, trainPairs / 4), seed);
  }

  /**
   * As {@link #writeGlueDirectory(Path, int, long)}, with {@code devPairs} pairs in each dev file.
   *
   * @param trainPairs labelled pairs in train, at least 3 (one per label)
   * @param devPairs labelled pairs in each of the two dev files, at least 3
   * @param seed seed of the sentences: the same seed writes the same files
   * @return {@code dir}
   */
  public static Path writeGlueDirectory(Path dir, int trainPairs, int devPairs, long seed)
      throws IOException {
    if (trainPairs < 3 || devPairs < 3) {
      throw new IllegalArgumentException(
          "synthetic NLI needs at least 3 pairs per split (one per label), got "
              + trainPairs
              + " train and "
              + devPairs
              + " dev");
    }
    Files.createDirectories(dir);
    Random random = new Random(seed);
    // GLUE's train has one annotator label column, its dev files five.
    writeGlueTsv(
        dir.resolve(MnliFormat.GLUE_TSV.fileName(MnliSplit.TRAIN)),
        rows(trainPairs, true, 1, random, "t"));
    writeGlueTsv(
        dir.resolve(MnliFormat.GLUE_TSV.fileName(MnliSplit.DEV_MATCHED)),
        rows(devPairs, true, 5, random, "m"));
    writeGlueTsv(
        dir.resolve(MnliFormat.GLUE_TSV.fileName(MnliSplit.DEV_MISMATCHED)),
        rows(devPairs, false, 5, random, "x"));
    WordPieceVocabulary.writeTokenizerJson(dir.resolve(TOKENIZER), vocabulary());
    return dir;
  }

  /** Every word the sentences use, sorted. */
  public static List<String> vocabulary() {
    TreeSet<String> words = new TreeSet<>();
    words.addAll(SUBJECTS);
    words.addAll(VERBS);
    words.addAll(PLACES);
    words.addAll(FUNCTION_WORDS);
    return List.copyOf(words);
  }

  private static List<Row> rows(int n, boolean matched, int annotators, Random random, String tag) {
    List<Genre> genres = new ArrayList<>();
    for (Genre g : Genre.values()) {
      if (g.matched() == matched) {
        genres.add(g);
      }
    }
    List<Row> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      NliLabel label = NliLabel.fromIndex(i % 3);
      String subject = pick(SUBJECTS, random);
      String verb = pick(VERBS, random);
      String premise = "The " + subject + " " + verb + " in the " + pick(PLACES, random) + ".";
      String hypothesis =
          switch (label) {
            case ENTAILMENT -> "Yes, the " + subject + " " + verb + ".";
            case CONTRADICTION -> "No, the " + subject + " never " + verb + ".";
            case NEUTRAL ->
                "Maybe another "
                    + other(SUBJECTS, subject, random)
                    + " also "
                    + other(VERBS, verb, random)
                    + ".";
          };
      String gold = label.fileName();
      List<String> annotations = new ArrayList<>();
      for (int k = 0; k < annotators; k++) {
        annotations.add(gold);
      }
      String prompt = tag + (i / 3);
      out.add(
          new Row(
              prompt,
              prompt + label.fileName().charAt(0),
              genres.get(i % genres.size()),
              premise,
              hypothesis,
              annotations,
              gold));
    }
    return out;
  }

  /** One pair as GLUE writes it. */
  private record Row(
      String promptId,
      String pairId,
      Genre genre,
      String premise,
      String hypothesis,
      List<String> annotatorLabels,
      String goldLabel) {}

  /**
   * A GLUE MNLI TSV file: header {@code index promptID pairID genre sentence1_binary_parse
   * sentence2_binary_parse sentence1_parse sentence2_parse sentence1 sentence2 label1 .. labelK
   * gold_label}, one tab-separated line per row. The parse columns are never read; they hold the
   * words, so that the column layout is the real one.
   */
  private static void writeGlueTsv(Path file, List<Row> rows) throws IOException {
    int labelColumns = rows.get(0).annotatorLabels().size();
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
      List<String> cells =
          new ArrayList<>(
              List.of(
                  Integer.toString(i),
                  row.promptId(),
                  row.pairId(),
                  row.genre().fileName(),
                  "( " + row.premise() + " )",
                  "( " + row.hypothesis() + " )",
                  "(ROOT " + row.premise() + ")",
                  "(ROOT " + row.hypothesis() + ")",
                  row.premise(),
                  row.hypothesis()));
      cells.addAll(row.annotatorLabels());
      cells.add(row.goldLabel());
      lines.add(String.join("\t", cells));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static String pick(List<String> words, Random random) {
    return words.get(random.nextInt(words.size()));
  }

  private static String other(List<String> words, String not, Random random) {
    String w = pick(words, random);
    while (w.equals(not)) {
      w = pick(words, random);
    }
    return w;
  }
}
