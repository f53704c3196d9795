/**
 * BERT-style transformer stiffness on MNLI: an encoder built from DJL primitives whose every
 * parametrised layer is on the probe path, HuggingFace checkpoint loading, tokenisation of sentence
 * pairs from a local {@code tokenizer.json}, and readers for the GLUE and MultiNLI files.
 */
package org.stiffness.nlp;
