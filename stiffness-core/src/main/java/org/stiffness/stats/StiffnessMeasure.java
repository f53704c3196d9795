package org.stiffness.stats;

/** The two per-pair stiffness measures of the paper, both in {@code [-1, 1]}. */
public enum StiffnessMeasure {
  /** {@code sign(g_1 . g_2)}: only whether a step on one example helps the other. */
  SIGN,
  /** {@code g_1 . g_2 / (|g_1| |g_2|)}: how much, relative to the gradient sizes. */
  COSINE
}
