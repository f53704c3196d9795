/**
 * Exact stiffness of neural networks (Fort et al., arXiv:1901.09491) on DJL: {@link
 * org.stiffness.StiffnessEngine} computes Gram matrices of per-example loss gradients of a frozen
 * model, tile by tile under a memory budget, and {@link org.stiffness.GradientMethod} chooses how
 * the per-example gradients are made. This root package holds only the engine's entry points and
 * checks every part shares; per-example gradients are in {@code gradients}, the tiled Gram in
 * {@code gram}, the statistics in {@code stats}, the tile jobs in {@code jobs}, files in {@code io}
 * and the summary's layout in {@code summary}. The module speaks only DJL's API, never an engine:
 * the engine is the caller's run-time choice, as is the {@code Device}.
 */
package org.stiffness;
