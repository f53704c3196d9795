package org.stiffness.nlp.mnli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A directory holding the three labelled MNLI splits under the GLUE names ({@code train.tsv},
 * {@code dev_matched.tsv}, {@code dev_mismatched.tsv}) or the MultiNLI 1.0 names ({@code
 * multinli_1.0_train.jsonl}, ...). The files are looked for in the directory itself, then in the
 * sub-folder each download unpacks to ({@code MNLI/} for GLUE, {@code multinli_1.0/} for MultiNLI);
 * the first complete set wins, GLUE before MultiNLI in the same folder.
 */
public final class MnliDirectory {
  private static final List<String> SUBFOLDERS = List.of("", "MNLI", "multinli_1.0");

  private final Path folder;
  private final MnliFormat format;

  private MnliDirectory(Path folder, MnliFormat format) {
    this.folder = folder;
    this.format = format;
  }

  /**
   * Finds the splits under {@code dir}.
   *
   * @throws NoSuchFileException naming the directory, the expected names and the missing files if
   *     no folder holds a complete set in one layout
   */
  public static MnliDirectory find(Path dir) throws NoSuchFileException {
    Objects.requireNonNull(dir, "dir");
    List<String> problems = new ArrayList<>();
    for (String sub : SUBFOLDERS) {
      Path folder = sub.isEmpty() ? dir : dir.resolve(sub);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      for (MnliFormat format : MnliFormat.values()) {
        List<String> missing = missing(folder, format);
        if (missing.isEmpty()) {
          return new MnliDirectory(folder, format);
        }
        if (missing.size() < MnliSplit.values().length) {
          problems.add(folder + " lacks " + String.join(", ", missing));
        }
      }
    }
    throw new NoSuchFileException(
        dir.toString(),
        null,
        "no complete set of MNLI splits; expected the GLUE files "
            + names(MnliFormat.GLUE_TSV)
            + " or the MultiNLI 1.0 files "
            + names(MnliFormat.MULTINLI_JSONL)
            + " in the directory or its MNLI/ or multinli_1.0/ folder"
            + (problems.isEmpty() ? "" : " (incomplete: " + String.join("; ", problems) + ")"));
  }

  private static List<String> missing(Path folder, MnliFormat format) {
    List<String> missing = new ArrayList<>();
    for (MnliSplit split : MnliSplit.values()) {
      if (!Files.isRegularFile(folder.resolve(format.fileName(split)))) {
        missing.add(format.fileName(split));
      }
    }
    return missing;
  }

  private static String names(MnliFormat format) {
    List<String> names = new ArrayList<>();
    for (MnliSplit split : MnliSplit.values()) {
      names.add(format.fileName(split));
    }
    return String.join(", ", names);
  }

  /** The folder the three files are in. */
  public Path folder() {
    return folder;
  }

  /** Their layout. */
  public MnliFormat format() {
    return format;
  }

  /** The file of {@code split}. */
  public MnliFile split(MnliSplit split) {
    return MnliFile.of(folder.resolve(format.fileName(split)), format);
  }
}
