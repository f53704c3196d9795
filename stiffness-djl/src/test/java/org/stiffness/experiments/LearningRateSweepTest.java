package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class LearningRateSweepTest {

  @Test
  void matricesFoldersPadTheStepToSixDigitsOrTheLongestStep() {
    assertEquals(
        "matrices/lr=0.01/step=000041", LearningRateSweep.matricesDirectory(0.01, 41, 500));
    assertEquals(
        "matrices/lr=0.0001/step=0000041",
        LearningRateSweep.matricesDirectory(1e-4, 41, 1_000_000));
  }

  @Test
  void matricesFoldersHaveAsciiDigitsWhateverTheDefaultLocale() {
    // checkpoint.json names the folder and another machine reads it: Arabic digits would not match.
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("ar-EG"));
    try {
      assertEquals(
          "matrices/lr=0.5/step=000999", LearningRateSweep.matricesDirectory(0.5, 999, 1000));
    } finally {
      Locale.setDefault(before);
    }
  }
}
