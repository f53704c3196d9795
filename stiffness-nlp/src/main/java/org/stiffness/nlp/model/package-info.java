/**
 * A BERT-style encoder and classifier built from DJL primitives so that every parametrised layer is
 * on the engine's probe path (embeddings, attention, feed-forward, LayerNorm), its configuration in
 * HuggingFace's vocabulary, and HuggingFace checkpoints: {@code .safetensors} read and written in
 * Java (F16 and BF16 widened to float) with tensor names mapped to the model's, and the saved form
 * that a measurement rebuilds the model from.
 */
package org.stiffness.nlp.model;
