/**
 * What a per-example gradient is: the loss evaluated per example, the labelled example set the
 * engine is given, and the compact exact forms of one layer's per-example gradients for a batch
 * (dense, outer product, indexed rows), which the Gram products consume without materialising them
 * where the form allows, and the interface of a method that computes them for a batch ({@link
 * org.stiffness.gradients.GradientExtractor}). Containers of layers that are not DJL's sequential
 * or parallel blocks join the probe path through {@link org.stiffness.gradients.ProbeTraversable}.
 * The per-layer rules that make these forms are in {@code rules}; how the engine runs them is in
 * {@code internal}.
 */
package org.stiffness.gradients;
