/**
 * The Gram matrix {@code K = G_X G_Y^T} of per-example gradients between two example sets, as the
 * public API gives it: the plan that cuts it into tiles ({@link org.stiffness.gram.TilePlan}), the
 * tiles on the device and on the host and the {@link org.stiffness.gram.TileSource} that computes
 * chosen ones (each example's gradient norms, checked to agree across tiles, and the refusal of
 * TF32 on a GPU come with them), the whole matrix for small problems ({@link
 * org.stiffness.gram.GramMatrix}), and the options that shape a computation (memory budget, operand
 * {@link org.stiffness.gram.Precision}, per-layer strategy) with its report and progress callbacks.
 * How the tiles are computed is in {@code internal}; what is derived from them is in {@code stats}.
 */
package org.stiffness.gram;
