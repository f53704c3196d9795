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
 * org.stiffness.gradients.internal.GradientExtractor} on a {@link
 * org.stiffness.gradients.internal.FrozenParameters} snapshot of the model. {@link
 * org.stiffness.gradients.internal.ConvolutionKernel} chooses how the convolution rule runs its
 * forward pass.
 *
 * <p>Used outside stiffness-core by this project only: the command line's {@code doctor} reports
 * the {@code ConvolutionKernel}, and tests of stiffness-djl and stiffness-nlp compare the two
 * extractors on their models. The public way in is {@link org.stiffness.StiffnessEngine}, with
 * {@link org.stiffness.GradientMethod} to choose the path; rules for your own layers are {@link
 * org.stiffness.gradients.rules.GradientRule}s returning the {@link
 * org.stiffness.gradients.LayerGradient} forms of {@code org.stiffness.gradients}.
 */
package org.stiffness.gradients.internal;
