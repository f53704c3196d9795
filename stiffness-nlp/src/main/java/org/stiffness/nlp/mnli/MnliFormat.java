package org.stiffness.nlp.mnli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** The two published MNLI file layouts and their file names. */
public enum MnliFormat {
  /**
   * GLUE's {@code MNLI/} folder: tab-separated with a header line, no quoting (sentences contain
   * unescaped quotes, so no CSV parser may be used).
   */
  GLUE_TSV("train.tsv", "dev_matched.tsv", "dev_mismatched.tsv"),
  /** The MultiNLI 1.0 release: one JSON object per line. */
  MULTINLI_JSONL(
      "multinli_1.0_train.jsonl",
      "multinli_1.0_dev_matched.jsonl",
      "multinli_1.0_dev_mismatched.jsonl");

  private final Map<MnliSplit, String> fileNames = new EnumMap<>(MnliSplit.class);

  MnliFormat(String train, String devMatched, String devMismatched) {
    fileNames.put(MnliSplit.TRAIN, train);
    fileNames.put(MnliSplit.DEV_MATCHED, devMatched);
    fileNames.put(MnliSplit.DEV_MISMATCHED, devMismatched);
  }

  /** The published file name of {@code split} in this layout. */
  public String fileName(MnliSplit split) {
    return fileNames.get(split);
  }

  /**
   * The format of a file from its extension: {@code .tsv} or {@code .jsonl}.
   *
   * @throws IllegalArgumentException naming the file and the expected extensions
   */
  public static MnliFormat ofFile(Path file) {
    String name = String.valueOf(file.getFileName());
    if (name.endsWith(".tsv")) {
      return GLUE_TSV;
    }
    if (name.endsWith(".jsonl")) {
      return MULTINLI_JSONL;
    }
    throw new IllegalArgumentException(
        file
            + ": cannot tell the MNLI format, expected a name ending in .tsv (GLUE) or .jsonl"
            + " (MultiNLI 1.0)");
  }
}
