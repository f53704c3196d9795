package org.stiffness.gradients.rules;

import ai.djl.ndarray.NDList;

/**
 * A layer's forward pass as a rule runs it.
 *
 * @param outputs the layer's outputs
 * @param saved what the rule's per-example gradient needs, handed back to it after the backward
 */
public record LayerForward(NDList outputs, NDList saved) {}
