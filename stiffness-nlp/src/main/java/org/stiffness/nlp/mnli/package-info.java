/**
 * MNLI data: labels ({@link org.stiffness.nlp.mnli.NliLabel}), genres ({@link
 * org.stiffness.nlp.mnli.Genre}), streaming readers for the GLUE TSV and MultiNLI 1.0 JSONL files
 * ({@link org.stiffness.nlp.mnli.MnliFile}, {@link org.stiffness.nlp.mnli.MnliDirectory}), and a
 * learnable synthetic task in MNLI's format ({@link org.stiffness.nlp.mnli.SyntheticNli}, for
 * {@code stiffness nlp --synthetic} and tests). Tiny files in both layouts ({@code MnliFixtures})
 * are test code, in this module's test jar.
 */
package org.stiffness.nlp.mnli;
