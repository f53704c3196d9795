package org.stiffness.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The built-in default dataset: the 1797 8x8 handwritten digits of the UCI ML "Optical Recognition
 * of Handwritten Digits" test set (E. Alpaydin and C. Kaynak, CC BY 4.0), as distributed with
 * scikit-learn, shipped in this jar so that the demo needs no download. See {@code
 * digits.ATTRIBUTION.txt} next to the resource.
 */
public final class BuiltinDigits {

  /** Classpath location of the shipped CSV. */
  public static final String RESOURCE = "/org/stiffness/datasets/digits.csv.gz";

  /** Number of examples in the shipped file. */
  public static final int SIZE = 1797;

  private BuiltinDigits() {}

  /**
   * All 1797 digits, shape (1, 8, 8), pixel counts 0..16 scaled to [0, 1], labels 0..9. There is no
   * published train/test split of this file: draw one with {@code BalancedSubset}.
   */
  public static LabelledImages load() {
    try (InputStream in = BuiltinDigits.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
      }
      return DigitsCsvReader.read(in, Path.of(RESOURCE), "digits");
    } catch (IOException e) {
      // The resource is part of the build; failing to read it is a packaging bug, not user input.
      throw new UncheckedIOException(e);
    }
  }
}
