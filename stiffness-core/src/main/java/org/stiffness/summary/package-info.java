/**
 * The layout of what a measurement reports: {@code summary.json} as records that Jackson writes and
 * reads (field names and order are a published format), the paper's pairings of example sets
 * ({@code train-val} and the others) and a number-by-number comparison of two summaries. It holds
 * data only; computing the statistics is {@code stats}'s job.
 */
package org.stiffness.summary;
