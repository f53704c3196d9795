package org.stiffness.gram.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stiffness.gradients.LayerGradient;
import org.stiffness.gram.LayerStrategy;
import org.stiffness.gram.Precision;

/**
 * Everything a block of examples contributes to Gram tiles: one operand per layer, owned by one
 * manager so that a block is freed in one call.
 */
final class BlockOperands implements AutoCloseable {
  /**
   * Called at the two moments the plan's peak is about (a block joined with its parts still alive;
   * a layer's product with its temporaries), so a test can weigh the live arrays there.
   */
  static volatile Runnable peakMoment = () -> {};

  private final NDManager manager;
  private final List<LayerOperand> layers;

  /**
   * The weight of each layer's term in the tile ({@code w_k} of the checkpoint it was taken at), or
   * null when every weight is 1 (a Gram of one set of parameters: no multiplication, the same bits
   * as before weights existed).
   */
  private final float[] weights;

  /** Checkpoints the layers are of: layer l of checkpoint k is {@code layers[k L + l]}. */
  private final int checkpoints;

  private final Map<String, Boolean> factorised;
  private final int size;
  private final double[] squaredNorms;
  private final double[] errorScale;

  private BlockOperands(
      NDManager manager,
      List<LayerOperand> layers,
      float[] weights,
      int checkpoints,
      Map<String, Boolean> factorised,
      int size,
      double[] squaredNorms,
      double[] errorScale) {
    this.manager = manager;
    this.layers = layers;
    this.weights = weights;
    this.checkpoints = checkpoints;
    this.factorised = factorised;
    this.size = size;
    this.squaredNorms = squaredNorms;
    this.errorScale = errorScale;
  }

  /**
   * @param gradients per-layer gradients of the block (owned by {@code manager} or a parent)
   * @param manager becomes the owner of the operands
   */
  static BlockOperands of(
      List<LayerGradient> gradients,
      LayerStrategy strategy,
      Precision precision,
      NDManager manager) {
    List<LayerOperand> layers = new ArrayList<>(gradients.size());
    Map<String, Boolean> factorised = new LinkedHashMap<>();
    NDList norms = new NDList();
    NDList errors = new NDList();
    for (LayerGradient gradient : gradients) {
      LayerOperand operand = LayerOperand.of(strategy, gradient, precision);
      operand.attach(manager);
      layers.add(operand);
      factorised.put(gradient.layer(), LayerOperand.factorises(strategy, gradient));
      norms.add(operand.squaredNorms());
      errors.add(operand.errorScale.square());
    }
    int size = gradients.get(0).batchSize();
    // Both per-layer sums in one reduction and one copy to the host: (2, layers, B) -> (2, B).
    norms.addAll(errors);
    float[] sums =
        NDArrays.stack(norms).reshape(2, gradients.size(), size).sum(new int[] {1}).toFloatArray();
    double[] squaredNorms = new double[size];
    double[] errorScale = new double[size];
    for (int i = 0; i < size; i++) {
      squaredNorms[i] = sums[i];
      errorScale[i] = Math.sqrt(sums[size + i]); // M_i = sqrt(sum_l m_il^2)
    }
    return new BlockOperands(manager, layers, null, 1, factorised, size, squaredNorms, errorScale);
  }

  /**
   * The operands of one block of examples at several checkpoints as one block whose tiles are
   * {@code K = sum_k w_k G_k G_k^T}: every (checkpoint, layer) is one more term of the same tile,
   * so a tile is computed once for all checkpoints. The squared norms are {@code sum_k w_k |g_k|^2}
   * (float64 sums of each checkpoint's fp32 norm) and the error scale {@code sqrt(sum_k w_k
   * M_k^2)}, which bounds {@code sum_k w_k M_ik M_jk} by Cauchy-Schwarz. The terms' arrays move to
   * {@code manager}; the terms are closed.
   *
   * @param terms the block at each checkpoint, same examples and layers in each
   * @param weights {@code w_k}, finite and positive
   */
  static BlockOperands weighted(List<BlockOperands> terms, float[] weights, NDManager manager) {
    if (terms.size() == 1 && weights[0] == 1f) {
      return terms.get(0);
    }
    BlockOperands first = terms.get(0);
    List<LayerOperand> layers = new ArrayList<>();
    float[] layerWeights = new float[first.layers.size() * terms.size()];
    double[] squaredNorms = new double[first.size];
    double[] errorScale = new double[first.size];
    for (int k = 0; k < terms.size(); k++) {
      BlockOperands term = terms.get(k);
      for (LayerOperand layer : term.layers) {
        layer.attach(manager);
        layerWeights[layers.size()] = weights[k];
        layers.add(layer);
      }
      for (int i = 0; i < first.size; i++) {
        squaredNorms[i] += weights[k] * term.squaredNorms[i];
        errorScale[i] += weights[k] * term.errorScale[i] * term.errorScale[i];
      }
      term.close(); // empty now: its arrays belong to manager
    }
    for (int i = 0; i < first.size; i++) {
      errorScale[i] = Math.sqrt(errorScale[i]);
    }
    shareInputs(layers, first.layers.size());
    return new BlockOperands(
        manager,
        layers,
        layerWeights,
        terms.size(),
        first.factorised,
        first.size,
        squaredNorms,
        errorScale);
  }

  /**
   * Lets the first layer of checkpoints 1.. share checkpoint 0's input factor where they are equal
   * (dense fp32 layers): one copy held, one product per tile. Only the first layer is compared: its
   * input is the example itself, while a deeper layer's equal inputs would be a coincidence of one
   * block, and the tile loop must find the same sharing in every block it pairs (it checks array
   * identity on both sides, so a block without it is only slower, never wrong).
   *
   * @param layers term-major: checkpoint k's layers at {@code [k perTerm, (k + 1) perTerm)}
   */
  private static void shareInputs(List<LayerOperand> layers, int perTerm) {
    if (!(layers.get(0) instanceof FactorisedOperand first)) {
      return;
    }
    for (int at = perTerm; at < layers.size(); at += perTerm) {
      if (layers.get(at) instanceof FactorisedOperand f) {
        FactorisedOperand shared = f.sharingInputOf(first);
        if (shared != null) {
          f.activations().close(); // its own copy; the manager forgets closed arrays
          layers.set(at, shared);
        }
      }
    }
  }

  /**
   * Consecutive blocks (passes over parts of one block) joined into one block, owned by {@code
   * manager}; the parts are closed.
   */
  static BlockOperands concat(List<BlockOperands> parts, NDManager manager) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    BlockOperands first = parts.get(0);
    List<LayerOperand> layers = new ArrayList<>(first.layers.size());
    for (int l = 0; l < first.layers.size(); l++) {
      List<LayerOperand> rest = new ArrayList<>(parts.size() - 1);
      for (BlockOperands part : parts.subList(1, parts.size())) {
        rest.add(part.layers.get(l));
      }
      LayerOperand joined = first.layers.get(l).concat(rest);
      joined.attach(manager);
      layers.add(joined);
    }
    int size = 0;
    for (BlockOperands part : parts) {
      size += part.size;
    }
    peakMoment.run();
    double[] squaredNorms = new double[size];
    double[] errorScale = new double[size];
    int offset = 0;
    for (BlockOperands part : parts) {
      System.arraycopy(part.squaredNorms, 0, squaredNorms, offset, part.size);
      System.arraycopy(part.errorScale, 0, errorScale, offset, part.size);
      offset += part.size;
      part.close();
    }
    if (first.checkpoints > 1) {
      shareInputs(layers, layers.size() / first.checkpoints); // joining made copies per checkpoint
    }
    return new BlockOperands(
        manager,
        layers,
        first.weights,
        first.checkpoints,
        first.factorised,
        size,
        squaredNorms,
        errorScale);
  }

  /**
   * The Gram tile between this block (rows) and other (columns), fp32, on the device, owned by
   * {@code owner}. The products' temporaries die with the call: the operands are lent to a scope
   * that closes after it (measured: without this, every tile's temporaries stayed with the cached
   * blocks, 4.7 GiB of native memory at N = 16384 with fc).
   */
  NDArray tile(BlockOperands other, NDManager owner) {
    try (NDManager scope = owner.newSubManager()) {
      NDArray total = null;
      // Checkpoints that share the first layer's input factor on both sides: its product, once.
      NDArray sharedProduct = null;
      for (int l = 0; l < layers.size(); l++) {
        // One layer's temporaries (fp32 copies of fp16 operands, products) at a time: the plan
        // counts the largest layer's, not the sum over layers.
        try (NDManager layerScope = scope.newSubManager()) {
          LayerOperand mine = layers.get(l);
          LayerOperand theirs = other.layers.get(l);
          mine.tempAttach(layerScope);
          if (theirs != mine) {
            theirs.tempAttach(layerScope);
          }
          // A weight costs one more fp32 rounding per term, inside the bound's 4 u32.
          NDArray part;
          if (sharesInput(l) && other.sharesInput(l)) {
            if (sharedProduct == null) {
              FactorisedOperand a = (FactorisedOperand) layers.get(0);
              FactorisedOperand b = (FactorisedOperand) other.layers.get(0);
              sharedProduct = Products.product(a.activations(), b.activations());
              sharedProduct.attach(scope);
            }
            part = ((FactorisedOperand) mine).gram(theirs, weights[l], sharedProduct);
          } else {
            part = weights == null ? mine.gram(theirs) : mine.gram(theirs, weights[l]);
          }
          peakMoment.run();
          if (total == null) {
            total = part;
            total.attach(scope);
          } else {
            total.addi(part);
          }
        }
      }
      total.attach(owner);
      return total;
    }
  }

  /**
   * Whether layer {@code l} is a checkpoint's first layer holding the very input factor that the
   * first layers of checkpoints 0 and 1 hold ({@link #shareInputs}).
   */
  private boolean sharesInput(int l) {
    if (checkpoints < 2) {
      return false;
    }
    int perTerm = layers.size() / checkpoints;
    return l % perTerm == 0
        && layers.get(l) instanceof FactorisedOperand f
        && layers.get(0) instanceof FactorisedOperand first
        && layers.get(perTerm) instanceof FactorisedOperand second
        && f.activations() == first.activations()
        && second.activations() == first.activations();
  }

  int size() {
    return size;
  }

  /**
   * The last array the block holds (a read of it waits for every kernel queued before it on the
   * device's stream); null for a block without arrays.
   */
  NDArray lastArray() {
    for (int l = layers.size() - 1; l >= 0; l--) {
      NDList arrays = layers.get(l).arrays();
      if (!arrays.isEmpty()) {
        return arrays.get(arrays.size() - 1);
      }
    }
    return null;
  }

  double[] squaredNorms() {
    return squaredNorms;
  }

  double[] errorScale() {
    return errorScale;
  }

  /** Layer path to whether it was factorised, in layer order. */
  Map<String, Boolean> factorised() {
    return factorised;
  }

  /** Longest inner sum over all layers. */
  long innerLength() {
    long n = 0;
    for (LayerOperand layer : layers) {
      n = Math.max(n, layer.innerLength());
    }
    return n;
  }

  /** Device bytes held. */
  long bytes() {
    long bytes = 0;
    for (LayerOperand layer : layers) {
      bytes += layer.bytes();
    }
    return bytes;
  }

  /**
   * Device bytes per example of the largest layer's fp32 copies of fp16 operands during a tile (GPU
   * fp16 only; 0 elsewhere).
   */
  long conversionBytesPerExample() {
    long bytes = 0;
    for (LayerOperand layer : layers) {
      bytes = Math.max(bytes, layer.conversionBytes());
    }
    return (bytes + size - 1) / size;
  }

  /** Device bytes of the largest tile workspace per pair of examples, over layers. */
  long workspaceBytesPerPair() {
    long floats = 1;
    for (LayerOperand layer : layers) {
      floats = Math.max(floats, layer.workspaceFloatsPerPair());
    }
    // Checkpoints: the shared input product may be kept across the tile's layers.
    return 4 * (floats + (checkpoints > 1 ? 1 : 0));
  }

  @Override
  public void close() {
    manager.close();
  }
}
