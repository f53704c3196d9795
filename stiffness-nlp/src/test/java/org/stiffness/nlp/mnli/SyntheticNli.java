package org.stiffness.nlp.mnli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.stiffness.nlp.text.WordPieceVocabulary;

/**
 * A small learnable NLI task written in the real MNLI formats, for tests and for trying the nlp
 * command without MNLI (not MNLI data).
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
    Files.createDirectories(dir);
    Random random = new Random(seed);
    int dev = Math.max(9, trainPairs / 4);
    MnliFixtures.writeGlueTsv(
        dir.resolve(MnliFormat.GLUE_TSV.fileName(MnliSplit.TRAIN)),
        rows(trainPairs, true, 1, random, "t"),
        1);
    MnliFixtures.writeGlueTsv(
        dir.resolve(MnliFormat.GLUE_TSV.fileName(MnliSplit.DEV_MATCHED)),
        rows(dev, true, 5, random, "m"),
        5);
    MnliFixtures.writeGlueTsv(
        dir.resolve(MnliFormat.GLUE_TSV.fileName(MnliSplit.DEV_MISMATCHED)),
        rows(dev, false, 5, random, "x"),
        5);
    WordPieceVocabulary.writeTokenizerJson(dir.resolve("tokenizer.json"), vocabulary());
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

  private static List<MnliFixtures.Row> rows(
      int n, boolean matched, int annotators, Random random, String tag) {
    List<Genre> genres = new ArrayList<>();
    for (Genre g : Genre.values()) {
      if (g.matched() == matched) {
        genres.add(g);
      }
    }
    List<MnliFixtures.Row> out = new ArrayList<>(n);
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
          new MnliFixtures.Row(
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
