/**
 * The paper's input preprocessing of images, each step switchable: per-feature standardisation with
 * statistics of the training set, then projection of every input onto the unit sphere (so that
 * input distances lie in [0, 2]). Steps take and give {@link org.stiffness.datasets.LabelledImages}
 * and are fitted on training data only.
 */
package org.stiffness.datasets.preprocess;
