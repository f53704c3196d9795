package org.stiffness.nlp.mnli;

/** The three labelled MNLI splits (the test splits have no public labels). */
public enum MnliSplit {
  /** 392,702 pairs of the five matched genres. */
  TRAIN,
  /** Development pairs of the five training genres. */
  DEV_MATCHED,
  /** Development pairs of the five genres absent from training. */
  DEV_MISMATCHED
}
