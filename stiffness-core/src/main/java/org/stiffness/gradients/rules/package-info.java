/**
 * The per-example gradient of each layer type, one small class each (the Opacus {@code grad_sample}
 * shape): a {@link org.stiffness.gradients.rules.GradientRule} runs the layer's forward pass, keeps
 * what its gradient needs, and from the gradient at the layer's output returns the layer's {@link
 * org.stiffness.gradients.LayerGradient}. {@link org.stiffness.gradients.rules.GradientRules} is
 * the registry, looked up by the layer's class and then its superclasses; {@link
 * org.stiffness.gradients.rules.ConvolutionKernel} says how the convolution rule runs its forward
 * pass on this machine. Supporting a new layer type means one rule class and one registration; for
 * a model with a layer that has no rule, {@code GradientMethod.AUTO} falls back to the batch-of-one
 * loop and says which layer forced it.
 */
package org.stiffness.gradients.rules;
