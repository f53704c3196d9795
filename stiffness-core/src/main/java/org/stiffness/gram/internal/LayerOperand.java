package org.stiffness.gram.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.stiffness.gradients.DenseGradient;
import org.stiffness.gradients.IndexedRowGradient;
import org.stiffness.gradients.LayerGradient;
import org.stiffness.gradients.OuterProductGradient;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.LayerStrategy;
import org.stiffness.gram.Precision;

/**
 * One layer's share of a block of examples, in the form its Gram products are taken from:
 * factorised factors or materialised gradients, rounded to the operand precision.
 *
 * <p>At FP16 every example's operands are first scaled to unit norm (gradients of well-fitted
 * examples are far below fp16's smallest normal number); the scales, kept in fp32, multiply the
 * products back. At FP32 no scaling is done.
 */
abstract class LayerOperand {
  /** Per-example scale s_i, shape (B), or null (meaning 1) at FP32. */
  protected final NDArray scale;

  /** Per-example error scale m_i of this layer, shape (B): see {@link GramMatrix}. */
  final NDArray errorScale;

  LayerOperand(NDArray scale, NDArray errorScale) {
    this.scale = scale;
    this.errorScale = errorScale;
  }

  /**
   * Whether {@code strategy} factorises this layer. For an outer-product gradient over T positions
   * the factorised product costs {@code T^2 (dIn + dOut)} per pair and the materialised one {@code
   * dIn dOut}: dense layers (T = 1) always factorise, early convolutions (T ~ 1000) materialise.
   * For an embedding the comparison is {@code T^2} against the vocabulary size.
   */
  static boolean factorises(LayerStrategy strategy, LayerGradient gradient) {
    if (gradient instanceof DenseGradient) {
      return false;
    }
    if (strategy != LayerStrategy.AUTO) {
      return strategy == LayerStrategy.FACTORISED;
    }
    if (gradient instanceof OuterProductGradient g) {
      long in = g.inputWidth() + (g.bias() ? 1 : 0);
      long t = g.positions();
      return t * t * (in + g.outputWidth()) < in * g.outputWidth();
    }
    IndexedRowGradient g = (IndexedRowGradient) gradient;
    return g.positions() * g.positions() < g.rows();
  }

  /** The operand of a layer under {@code strategy}. */
  static LayerOperand of(LayerStrategy strategy, LayerGradient gradient, Precision precision) {
    if (factorises(strategy, gradient)) {
      if (gradient instanceof OuterProductGradient g) {
        return FactorisedOperand.of(g, precision);
      }
      return IndexedOperand.of((IndexedRowGradient) gradient, precision);
    }
    return MaterialisedOperand.of(gradient.materialisedParts(), precision);
  }

  /** This layer's contribution to the Gram tile between this block (rows) and other's (columns). */
  final NDArray gram(LayerOperand other) {
    return rescale(unscaledGram(other), scale, other.scale);
  }

  /**
   * {@code weight} times this layer's contribution to the tile (one checkpoint's term of a weighted
   * sum): unrounded operands fold the weight into a row factor narrower than the tile ({@link
   * #weightedUnscaledGram}), rounded ones multiply the tile (a weighted fp16 operand would be
   * rounded again).
   */
  final NDArray gram(LayerOperand other, float weight) {
    if (weight == 1f) {
      return gram(other);
    }
    if (scale == null) {
      return weightedUnscaledGram(other, weight); // fp32: no rescaling
    }
    return gram(other).muli(weight);
  }

  /**
   * {@code weight * unscaledGram(other)} for fp32 operands; by default one more pass over the tile.
   */
  NDArray weightedUnscaledGram(LayerOperand other, float weight) {
    return unscaledGram(other).muli(weight);
  }

  /** This layer's contribution to the squared gradient norms of the block, shape (B). */
  final NDArray squaredNorms() {
    NDArray self = unscaledSquaredNorms();
    return scale == null ? self : self.mul(scale.square());
  }

  abstract NDArray unscaledGram(LayerOperand other);

  abstract NDArray unscaledSquaredNorms();

  /** Bytes held on the device. */
  abstract long bytes();

  /** Bytes of the fp32 copies of this operand's fp16 arrays that its products make. */
  final long conversionBytes() {
    long bytes = 0;
    for (NDArray array : arrays()) {
      bytes += Products.conversionBytes(array);
    }
    return bytes;
  }

  /** Floats of temporary storage per pair of examples while a tile is computed. */
  abstract long workspaceFloatsPerPair();

  /** Longest inner sum of this layer's products, for the rounding-error bound. */
  abstract long innerLength();

  /** Every array this operand holds (its manager owns them). */
  abstract NDList arrays();

  /** Makes {@code manager} the owner of the operand's arrays. */
  final void attach(NDManager manager) {
    arrays().attach(manager);
  }

  /**
   * Lends the operand's arrays to {@code manager} until it closes: the temporaries of a product
   * taken meanwhile belong to {@code manager} too (DJL gives a result the manager of its operand),
   * instead of piling up in the block's manager for as long as the block is cached.
   */
  final void tempAttach(NDManager manager) {
    arrays().tempAttach(manager);
  }

  /**
   * The non-null arrays among {@code arrays}, each once (an operand may hold one array in two
   * roles, e.g. a materialised fp16 layer's scale is its error scale; lending it twice would hand
   * it back to the lending scope, which then closes it).
   */
  static NDList present(NDArray... arrays) {
    NDList out = new NDList(arrays.length);
    for (NDArray a : arrays) {
      if (a != null && out.stream().noneMatch(b -> b == a)) {
        out.add(a);
      }
    }
    return out;
  }

  /** This layer's operands of consecutive blocks as one block (this one first). */
  abstract LayerOperand concat(List<LayerOperand> rest);

  /** Concatenates {@code first} and the same array of every part in {@code rest} along axis 0. */
  static <T extends LayerOperand> NDArray joined(
      NDArray first, List<LayerOperand> rest, Function<T, NDArray> part) {
    if (first == null) {
      return null;
    }
    NDList arrays = new NDList(rest.size() + 1);
    arrays.add(first);
    for (LayerOperand operand : rest) {
      @SuppressWarnings("unchecked")
      T typed = (T) operand;
      arrays.add(part.apply(typed));
    }
    return NDArrays.concat(arrays, 0);
  }

  private static NDArray rescale(NDArray tile, NDArray rows, NDArray cols) {
    if (rows == null) {
      return tile;
    }
    return tile.mul(rows.reshape(-1, 1)).mul(cols.reshape(1, -1));
  }

  /** Per-example Frobenius norm over all axes but the first, shape (B). */
  static NDArray exampleNorms(NDArray array) {
    return array.reshape(array.getShape().get(0), -1).norm(new int[] {1});
  }

  /** Divides each example's slice by its scale; zero rows stay zero. */
  static NDArray unitRows(NDArray array, NDArray norms) {
    long[] shape = new long[array.getShape().dimension()];
    Arrays.fill(shape, 1);
    shape[0] = -1;
    return array.div(norms.maximum(Float.MIN_NORMAL).reshape(shape));
  }

  static long bytesOf(NDArray array) {
    return array == null ? 0 : array.size() * array.getDataType().getNumOfBytes();
  }
}
