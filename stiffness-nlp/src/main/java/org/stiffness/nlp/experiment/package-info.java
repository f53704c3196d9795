/**
 * The paper's MNLI experiment: a BERT-style classifier fine-tuned or trained from scratch at one or
 * more constant learning rates with stiffness measured over training, and sentence pairs as
 * training data, tokenised and padded batch by batch. It wires the model of {@code model} and the
 * data of {@code mnli} and {@code text} into the shared protocol of {@code
 * org.stiffness.experiments}.
 */
package org.stiffness.nlp.experiment;
