/**
 * The vision models of the paper (the fully connected network, the CNN and ResNet-20 without batch
 * normalisation), built from DJL blocks whose trainable layers all have gradient rules, so that the
 * engine's probe path computes their per-example gradients exactly.
 */
package org.stiffness.vision.models;
