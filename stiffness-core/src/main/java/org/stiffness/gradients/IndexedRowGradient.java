package org.stiffness.gradients;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Gradient of an embedding table {@code E (rows, width)} looked up at T token ids per example:
 * {@code dL/dE[v] = sum_{t : id_t = v} d_t}. The dense form {@code (B, rows * width)} is what this
 * type exists to avoid (BERT: 30522 x 768 per example); a Gram entry needs only the ids and d.
 *
 * @param layer path of the layer
 * @param indices token ids, shape {@code (B, T)}, integer
 * @param outputGradients d, shape {@code (B, T, width)}
 * @param rows number of rows of the table (vocabulary size)
 */
public record IndexedRowGradient(String layer, NDArray indices, NDArray outputGradients, long rows)
    implements LayerGradient {

  /**
   * @throws IllegalArgumentException unless indices are {@code (B, T)} and gradients {@code (B, T,
   *     d)}
   */
  public IndexedRowGradient {
    Shape ids = indices.getShape();
    Shape d = outputGradients.getShape();
    if (ids.dimension() != 2
        || d.dimension() != 3
        || ids.get(0) != d.get(0)
        || ids.get(1) != d.get(1)) {
      throw new IllegalArgumentException(
          layer
              + ": indices "
              + ids
              + " and output gradients "
              + d
              + " must be (B, T) and (B, T, w)");
    }
  }

  @Override
  public int batchSize() {
    return Math.toIntExact(indices.getShape().get(0));
  }

  /** Number of token positions T. */
  public long positions() {
    return indices.getShape().get(1);
  }

  /** Embedding width. */
  public long width() {
    return outputGradients.getShape().get(2);
  }

  @Override
  public long parameterCount() {
    return rows * width();
  }

  /** Dense {@code (B, rows * width)}: only sensible for small tables (tests, tiny vocabularies). */
  @Override
  public NDArray materialise() {
    NDArray oneHot = indices.oneHot(Math.toIntExact(rows), DataType.FLOAT32); // (B, T, rows)
    return oneHot
        .transpose(0, 2, 1)
        .batchMatMul(outputGradients)
        .reshape(batchSize(), -1); // (B, rows * width)
  }
}
