/**
 * The paper's experimental protocol on DJL, for every modality: training at constant learning rates
 * from shared initial weights ({@link org.stiffness.experiments.LearningRateSweep}, resumable step
 * for step), the measurement schedule, stiffness measured at each checkpoint in one process or as
 * tile jobs of a saved checkpoint across processes and machines, and the files this leaves behind
 * ({@code summary.json}, saved checkpoints, matrices, exports). What belongs here is what the
 * vision and the text experiments share; their data, models and input distances belong to their own
 * modules.
 */
package org.stiffness.experiments;
