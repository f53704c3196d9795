/**
 * Text as model input: sentence-pair tokenisation through a local HuggingFace {@code
 * tokenizer.json} ({@link org.stiffness.nlp.text.PairTokenizer}, {@link
 * org.stiffness.nlp.text.TokenizedPairs}), a writer of small WordPiece tokenizers ({@link
 * org.stiffness.nlp.text.WordPieceVocabulary}), and the input distance of text ({@link
 * org.stiffness.nlp.text.BagOfTokens}).
 */
package org.stiffness.nlp.text;
