/**
 * The experiment around training-data influence (TracIn, Pruthi et al. 2020): training with labels
 * flipped on purpose ({@link org.stiffness.experiments.influence.LabelFlip}), checkpoints evenly
 * spaced in steps with their TracIn weights ({@link
 * org.stiffness.experiments.influence.InfluenceCheckpoints}), and how well a score finds the
 * flipped labels ({@link org.stiffness.experiments.influence.FlipDetection}). The influence scores
 * themselves come from the engine in stiffness-core; nothing here computes a gradient product.
 */
package org.stiffness.experiments.influence;
