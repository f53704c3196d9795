/**
 * Not API: how the engine computes per-example gradients, behind {@link
 * org.stiffness.StiffnessEngine}. Code outside this project should not use it; it may change in any
 * release.
 *
 * <p>{@link org.stiffness.gradients.internal.ProbeExtractor} (one batched forward and backward pass
 * with zero probes on the layer outputs, through {@code ProbingPass}, the {@link
 * org.stiffness.gradients.ProbedForward} of the probe path, and {@code ParallelBranches} for DJL's
 * {@code ParallelBlock}) and {@link org.stiffness.gradients.internal.BatchOfOneExtractor} (the loop
 * of single-example passes, the reference) implement {@link
 * org.stiffness.gradients.GradientExtractor} on a {@link
 * org.stiffness.gradients.internal.FrozenParameters} snapshot of the model.
 *
 * <p>Private to the {@code org.stiffness} tree of stiffness-core (ArchitectureTest); only tests of
 * stiffness-djl and stiffness-nlp use it from outside, to compare the two extractors on their
 * models. The public way in is {@link org.stiffness.StiffnessEngine}, with {@link
 * org.stiffness.GradientMethod} to choose the path; rules for your own layers are {@link
 * org.stiffness.gradients.rules.GradientRule}s returning the {@link
 * org.stiffness.gradients.LayerGradient} forms of {@code org.stiffness.gradients}.
 */
package org.stiffness.gradients.internal;
