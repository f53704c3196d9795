package org.stiffness.nlp.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The vocabulary facts of a {@code tokenizer.json} that DJL's binding does not expose: vocabulary
 * size, the padding id and the ids of special tokens.
 */
final class TokenizerFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  final int vocabularySize;
  final long padTokenId;
  final long[] specialTokenIds;

  private TokenizerFile(int vocabularySize, long padTokenId, long[] specialTokenIds) {
    this.vocabularySize = vocabularySize;
    this.padTokenId = padTokenId;
    this.specialTokenIds = specialTokenIds;
  }

  /**
   * Reads {@code file}.
   *
   * <p>The vocabulary is {@code model.vocab} (an object token to id for WordPiece/BPE, an array of
   * {@code [token, score]} for Unigram) plus {@code added_tokens}; its size is the largest id + 1.
   * Special tokens are the added tokens marked {@code "special": true}. The padding id is {@code
   * padding.pad_id} when the file configures padding, otherwise the id of {@code [PAD]} or {@code
   * <pad>}: the binding's own default (id 0) would be wrong for e.g. RoBERTa, whose {@code <pad>}
   * is 1.
   *
   * @throws IOException naming the file and the field if it cannot be read or lacks one
   */
  static TokenizerFile read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not a readable tokenizer.json: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException(file + ": expected a JSON object (tokenizer.json)");
    }
    Map<String, Long> ids = new HashMap<>();
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      vocab.properties().forEach(e -> ids.put(e.getKey(), e.getValue().asLong()));
    } else if (vocab.isArray()) {
      for (int k = 0; k < vocab.size(); k++) {
        ids.put(vocab.get(k).path(0).asText(), (long) k);
      }
    } else {
      throw new IOException(file + ": field model.vocab is missing, expected an object or array");
    }
    TreeSet<Long> special = new TreeSet<>();
    for (JsonNode token : root.path("added_tokens")) {
      if (!token.path("id").canConvertToLong() || !token.path("content").isTextual()) {
        throw new IOException(file + ": added_tokens entry without id/content: " + token);
      }
      ids.put(token.get("content").asText(), token.get("id").asLong());
      if (token.path("special").asBoolean(false)) {
        special.add(token.get("id").asLong());
      }
    }
    long maxId = ids.values().stream().mapToLong(Long::longValue).max().orElse(-1);
    if (maxId < 0 || maxId >= Integer.MAX_VALUE) {
      throw new IOException(
          file + ": vocabulary ids span [0, " + maxId + "], expected a non-empty int range");
    }
    JsonNode padding = root.path("padding");
    Long pad;
    if (padding.isObject() && padding.path("pad_id").canConvertToLong()) {
      pad = padding.get("pad_id").asLong();
    } else {
      pad = ids.getOrDefault("[PAD]", ids.get("<pad>"));
    }
    if (pad == null) {
      throw new IOException(
          file + ": no padding token: expected padding.pad_id or a [PAD] or <pad> token");
    }
    return new TokenizerFile(
        (int) maxId + 1, pad, special.stream().mapToLong(Long::longValue).toArray());
  }
}
