package org.stiffness.nlp.mnli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One MNLI split file in either published format, read as a stream of lines: only the pairs kept
 * are held in memory, never the file's text, so the first {@code n} pairs of the 330 MB training
 * file cost a few lines and a balanced subset costs one pass and the subset.
 *
 * <p>Pairs whose {@code gold_label} is {@code "-"} are skipped and counted. Any malformed line
 * (wrong column count, bad JSON, missing field, unknown label or genre, invalid UTF-8) stops the
 * read with a {@link MalformedMnliException} naming the file and line.
 */
public final class MnliFile {
  private final Path path;
  private final MnliFormat format;

  private MnliFile(Path path, MnliFormat format) {
    this.path = Objects.requireNonNull(path, "path");
    this.format = Objects.requireNonNull(format, "format");
  }

  /** The file {@code path} in {@code format}. Nothing is read yet. */
  public static MnliFile of(Path path, MnliFormat format) {
    return new MnliFile(path, format);
  }

  /** The file {@code path}, its format told by the extension ({@code .tsv} or {@code .jsonl}). */
  public static MnliFile of(Path path) {
    return new MnliFile(path, MnliFormat.ofFile(path));
  }

  /** The file. */
  public Path path() {
    return path;
  }

  /** Its format. */
  public MnliFormat format() {
    return format;
  }

  /** Every pair with a gold label, in file order. */
  public NliPairs readAll() throws IOException {
    List<NliPair> pairs = new ArrayList<>();
    int skipped =
        scan(
            (pair, line) -> {
              pairs.add(pair);
              return true;
            });
    return new NliPairs(path, pairs, skipped);
  }

  /**
   * The first {@code n} pairs with a gold label, in file order; reading stops at the {@code n}-th.
   * Fewer if the file has fewer.
   */
  public NliPairs readFirst(int n) throws IOException {
    if (n < 0) {
      throw new IllegalArgumentException("n = " + n + ", expected >= 0");
    }
    List<NliPair> pairs = new ArrayList<>();
    int skipped =
        n == 0
            ? 0
            : scan(
                (pair, line) -> {
                  pairs.add(pair);
                  return pairs.size() < n;
                });
    return new NliPairs(path, pairs, skipped);
  }

  /**
   * A seeded class-balanced uniform sample of {@code total} pairs in one pass over the file (the
   * exact definition is in {@link LabelReservoir}): {@code total / 3} per label, the remainder to
   * the first labels by index; grouped by label index, in file order within a label. The same file
   * and seed give the same subset on every machine.
   *
   * @throws IllegalArgumentException naming the file and label if a label has too few pairs
   */
  public NliPairs readBalanced(int total, long seed) throws IOException {
    LabelReservoir reservoir = new LabelReservoir(total, seed);
    int skipped =
        scan(
            (pair, line) -> {
              reservoir.offer(pair, line);
              return true;
            });
    return new NliPairs(path, reservoir.sample(path), skipped);
  }

  /** Receives the pairs of a scan; returns whether to go on. */
  private interface PairVisitor {
    boolean visit(NliPair pair, long line);
  }

  /** Streams the file's pairs to {@code visitor}; returns the count of lines without gold label. */
  private int scan(PairVisitor visitor) throws IOException {
    long lineNumber = 0;
    int skipped = 0;
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      MnliLineParser parser;
      if (format == MnliFormat.GLUE_TSV) {
        lineNumber = 1;
        parser = GlueTsvParser.fromHeader(path, in.readLine());
      } else {
        parser = new MultiNliJsonParser(path);
      }
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        NliPair pair = parser.parse(line, lineNumber);
        if (pair == null) {
          skipped++;
        } else if (!visitor.visit(pair, lineNumber)) {
          break;
        }
      }
    } catch (CharacterCodingException e) {
      // The reader decodes ahead of the line being parsed, so the bad bytes are at or after it.
      throw new MalformedMnliException(
          path, lineNumber + 1, "invalid UTF-8 at or after this line", e);
    }
    return skipped;
  }

  @Override
  public String toString() {
    return path + " (" + format + ")";
  }
}
