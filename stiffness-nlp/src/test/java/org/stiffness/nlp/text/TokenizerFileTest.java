package org.stiffness.nlp.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vocabulary facts of hand-written tokenizer.json files of the other model types. */
class TokenizerFileTest {
  @TempDir Path dir;

  @Test
  void robertaStylePadTokenIsFoundByName() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("bpe.json"),
            """
            {"padding": null,
             "added_tokens": [
               {"id": 0, "content": "<s>", "special": true},
               {"id": 1, "content": "<pad>", "special": true},
               {"id": 2, "content": "</s>", "special": true},
               {"id": 7, "content": "<mask>", "special": true}],
             "model": {"type": "BPE", "vocab": {"<s>": 0, "<pad>": 1, "</s>": 2, "a": 3, "b": 4}}}
            """);
    TokenizerFile t = TokenizerFile.read(file);
    assertEquals(1, t.padTokenId);
    assertEquals(8, t.vocabularySize);
    assertArrayEquals(new long[] {0, 1, 2, 7}, t.specialTokenIds);
  }

  @Test
  void unigramVocabularyIsAnArrayOfTokenScorePairs() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("unigram.json"),
            """
            {"added_tokens": [],
             "model": {"type": "Unigram",
                       "vocab": [["[PAD]", 0.0], ["x", -1.5], ["y", -2.0]]}}
            """);
    TokenizerFile t = TokenizerFile.read(file);
    assertEquals(3, t.vocabularySize);
    assertEquals(0, t.padTokenId);
    assertEquals(0, t.specialTokenIds.length);
  }

  @Test
  void missingVocabularyOrPadTokenNamesFileAndField() throws IOException {
    Path noVocab = Files.writeString(dir.resolve("a.json"), "{\"model\": {\"type\": \"BPE\"}}");
    IOException e = assertThrows(IOException.class, () -> TokenizerFile.read(noVocab));
    assertTrue(e.getMessage().startsWith(noVocab + ": field model.vocab"), e.getMessage());
    Path noPad = Files.writeString(dir.resolve("b.json"), "{\"model\": {\"vocab\": {\"a\": 0}}}");
    e = assertThrows(IOException.class, () -> TokenizerFile.read(noPad));
    assertTrue(e.getMessage().contains("no padding token"), e.getMessage());
  }
}
