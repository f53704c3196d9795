package org.stiffness.nlp.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.stiffness.io.AtomicFiles;

/**
 * Writes a small, valid BERT-style WordPiece {@code tokenizer.json} from a word list, for tests,
 * demos and synthetic tasks that need a tokenizer without downloading one.
 *
 * <p>The file has the pipeline of {@code bert-base-uncased}: {@code BertNormalizer} (lower case,
 * accents kept), {@code BertPreTokenizer} (split on whitespace and punctuation), a {@code
 * WordPiece} model with prefix {@code ##}, and the post-processor {@code [CLS] $A [SEP] $B:1
 * [SEP]:1} (the second sentence and its closing {@code [SEP]} get segment id 1). Token ids: the
 * {@link #SPECIAL_TOKENS} are 0..4 in that order, then the words in the order given (word {@code k}
 * has id {@code 5 + k}).
 */
public final class WordPieceVocabulary {
  /** {@code [PAD] [UNK] [CLS] [SEP] [MASK]}, ids 0..4. */
  public static final List<String> SPECIAL_TOKENS =
      List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

  private static final ObjectMapper JSON = new ObjectMapper();

  private WordPieceVocabulary() {}

  /**
   * The id of {@code token} in a file written from {@code words}: its position in {@link
   * #SPECIAL_TOKENS} followed by {@code words}.
   *
   * @throws IllegalArgumentException if the token is in neither
   */
  public static long id(List<String> words, String token) {
    int special = SPECIAL_TOKENS.indexOf(token);
    if (special >= 0) {
      return special;
    }
    int word = words.indexOf(token);
    if (word < 0) {
      throw new IllegalArgumentException("\"" + token + "\" is not in the vocabulary");
    }
    return SPECIAL_TOKENS.size() + word;
  }

  /**
   * Writes {@code tokenizer.json} (atomically) for the vocabulary {@link #SPECIAL_TOKENS} + {@code
   * words}.
   *
   * @param file the file to write
   * @param words lower-case words or {@code ##} continuations, no whitespace, no duplicates, none
   *     of the special tokens
   * @return the absolute path written
   * @throws IllegalArgumentException naming the first bad word and its index
   */
  public static Path writeTokenizerJson(Path file, List<String> words) throws IOException {
    List<String> vocab = vocabulary(words);
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int id = 0; id < SPECIAL_TOKENS.size(); id++) {
      ObjectNode token = added.addObject();
      token.put("id", id);
      token.put("content", SPECIAL_TOKENS.get(id));
      token.put("single_word", false);
      token.put("lstrip", false);
      token.put("rstrip", false);
      token.put("normalized", false);
      token.put("special", true);
    }
    ObjectNode normalizer = root.putObject("normalizer");
    normalizer.put("type", "BertNormalizer");
    normalizer.put("clean_text", true);
    normalizer.put("handle_chinese_chars", true);
    normalizer.putNull("strip_accents");
    normalizer.put("lowercase", true);
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    root.set("post_processor", templateProcessing());
    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "WordPiece");
    decoder.put("prefix", "##");
    decoder.put("cleanup", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "WordPiece");
    model.put("unk_token", "[UNK]");
    model.put("continuing_subword_prefix", "##");
    model.put("max_input_chars_per_word", 100);
    ObjectNode ids = model.putObject("vocab");
    for (int id = 0; id < vocab.size(); id++) {
      ids.put(vocab.get(id), id);
    }
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    return AtomicFiles.writeStream(file, out -> out.write(bytes));
  }

  private static List<String> vocabulary(List<String> words) {
    List<String> vocab = new ArrayList<>(SPECIAL_TOKENS);
    Set<String> seen = new HashSet<>(SPECIAL_TOKENS);
    for (int k = 0; k < words.size(); k++) {
      String w = words.get(k);
      String problem = null;
      if (w == null || w.isEmpty() || w.equals("##")) {
        problem = "is empty";
      } else if (w.chars().anyMatch(Character::isWhitespace)) {
        problem = "contains whitespace (the pre-tokenizer splits on it)";
      } else if (!w.equals(w.toLowerCase(Locale.ROOT))) {
        problem = "is not lower case (the normalizer lower-cases the input, so it is unreachable)";
      } else if (!seen.add(w)) {
        problem = "is a duplicate or a special token";
      }
      if (problem != null) {
        throw new IllegalArgumentException("word " + k + " \"" + w + "\" " + problem);
      }
      vocab.add(w);
    }
    return vocab;
  }

  /** {@code [CLS] $A [SEP]} for one sentence, {@code [CLS] $A [SEP] $B:1 [SEP]:1} for a pair. */
  private static ObjectNode templateProcessing() {
    ObjectNode post = JSON.createObjectNode();
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    special(single, "[CLS]", 0);
    sequence(single, "A", 0);
    special(single, "[SEP]", 0);
    ArrayNode pair = post.putArray("pair");
    special(pair, "[CLS]", 0);
    sequence(pair, "A", 0);
    special(pair, "[SEP]", 0);
    sequence(pair, "B", 1);
    special(pair, "[SEP]", 1);
    ObjectNode specials = post.putObject("special_tokens");
    for (String token : List.of("[CLS]", "[SEP]")) {
      ObjectNode entry = specials.putObject(token);
      entry.put("id", token);
      entry.putArray("ids").add(SPECIAL_TOKENS.indexOf(token));
      entry.putArray("tokens").add(token);
    }
    return post;
  }

  private static void special(ArrayNode template, String token, int typeId) {
    ObjectNode piece = template.addObject().putObject("SpecialToken");
    piece.put("id", token);
    piece.put("type_id", typeId);
  }

  private static void sequence(ArrayNode template, String which, int typeId) {
    ObjectNode piece = template.addObject().putObject("Sequence");
    piece.put("id", which);
    piece.put("type_id", typeId);
  }
}
