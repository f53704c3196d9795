/**
 * The paper's vision experiments: one dataset and model trained at each learning rate from the same
 * initial weights, stiffness measured at the scheduled steps on fixed image subsets with the cosine
 * distance of the images as input distance, and the class groupings that come with the datasets.
 * Data come from {@code org.stiffness.datasets}; the models are in {@code models}.
 */
package org.stiffness.vision;
