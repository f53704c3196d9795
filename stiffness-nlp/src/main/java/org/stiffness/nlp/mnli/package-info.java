/**
 * MNLI data: labels ({@link org.stiffness.nlp.mnli.NliLabel}), genres ({@link
 * org.stiffness.nlp.mnli.Genre}), streaming readers for the GLUE TSV and MultiNLI 1.0 JSONL files
 * ({@link org.stiffness.nlp.mnli.MnliFile}, {@link org.stiffness.nlp.mnli.MnliDirectory}), and
 * {@link org.stiffness.nlp.mnli.MnliFixtures}, which writes tiny files in both layouts for tests
 * and demos.
 */
package org.stiffness.nlp.mnli;
