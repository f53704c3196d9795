package org.stiffness.gradients.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.stiffness.gradients.IndexedRowGradient;
import org.stiffness.gradients.LayerGradient;

/**
 * Embedding lookup (DJL's {@code Embedding} and the transformer {@code IdEmbedding}, both holding
 * one table parameter named "embedding") {@code y_t = E[id_t]}: the gradient of row v is the sum of
 * the output gradients at the positions holding token v. Kept as (ids, d) so that no {@code (B, V,
 * width)} tensor is ever built.
 */
final class EmbeddingRule implements GradientRule<Block> {

  @Override
  public LayerGradient perExampleGradient(
      Block layer, String path, ParameterStore store, NDList saved, NDArray outputGradient) {
    var table = layer.getDirectParameters().get("embedding");
    if (!table.requiresGradient()) {
      return null;
    }
    NDArray ids = saved.head();
    long batch = ids.getShape().get(0);
    long width = outputGradient.getShape().get(outputGradient.getShape().dimension() - 1);
    return new IndexedRowGradient(
        path,
        ids.toType(DataType.INT64, false).reshape(batch, -1),
        outputGradient.reshape(batch, -1, width),
        table.getArray().getShape().get(0));
  }
}
