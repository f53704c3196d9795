/**
 * MNLI data: labels ({@link org.stiffness.nlp.mnli.NliLabel}), genres ({@link
 * org.stiffness.nlp.mnli.Genre}), streaming readers for the GLUE TSV and MultiNLI 1.0 JSONL files
 * ({@link org.stiffness.nlp.mnli.MnliFile}, {@link org.stiffness.nlp.mnli.MnliDirectory}). Tiny
 * files in both layouts ({@code MnliFixtures}) and a learnable synthetic task ({@code
 * SyntheticNli}) are test code, in this module's test jar.
 */
package org.stiffness.nlp.mnli;
