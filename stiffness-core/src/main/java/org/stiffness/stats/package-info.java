/**
 * Stiffness statistics as the paper defines them (paper, "Stiffness"): per-pair sign and cosine
 * stiffness, class stiffness matrices, stiffness between class groups, input distances, the
 * stiffness-vs-distance profile and the dynamical critical length, and beside them gradient
 * coherence and gradient confusion. The classes here take whole matrices in float64 and are the
 * reference; {@link org.stiffness.stats.PairTerms} defines once what one pair contributes to every
 * statistic, and the measurement itself reduces Gram tiles to sums in {@code tiles} with the same
 * definitions. A new statistic starts here, with its definition and its reference.
 */
package org.stiffness.stats;
