package org.stiffness.gram.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.stiffness.gram.Precision;

/**
 * Dense per-example gradients G (B, P_l), possibly in parts G = [G_1 | G_2 | ...] (a weight and a
 * bias): the tile is {@code G_I G_J^T = sum_k G_Ik G_Jk^T}, so the parts are never joined (at BERT
 * sizes joining them copies the whole per-example gradient).
 */
final class MaterialisedOperand extends LayerOperand {
  private final List<NDArray> parts;

  private MaterialisedOperand(List<NDArray> parts, NDArray scale, NDArray errorScale) {
    super(scale, errorScale);
    this.parts = List.copyOf(parts);
  }

  static MaterialisedOperand of(List<NDArray> parts, Precision precision) {
    NDArray norms = partNorms(parts);
    if (!precision.roundsOperands()) {
      return new MaterialisedOperand(parts, null, norms);
    }
    List<NDArray> rounded = new ArrayList<>(parts.size());
    for (NDArray part : parts) {
      rounded.add(Products.operand(precision, unitRows(part, norms)));
    }
    return new MaterialisedOperand(rounded, norms, norms);
  }

  /** Per-example norm of the joined parts, {@code sqrt(sum_k |G_ik|^2)}, shape (B). */
  private static NDArray partNorms(List<NDArray> parts) {
    if (parts.size() == 1) {
      return exampleNorms(parts.get(0));
    }
    NDArray squared = null;
    for (NDArray part : parts) {
      NDArray s = exampleNorms(part).square();
      squared = squared == null ? s : squared.add(s);
    }
    return squared.sqrt();
  }

  @Override
  NDArray unscaledGram(LayerOperand other) {
    List<NDArray> theirs = ((MaterialisedOperand) other).parts;
    NDArray tile = null;
    for (int k = 0; k < parts.size(); k++) {
      NDArray product = Products.product(parts.get(k), theirs.get(k));
      tile = tile == null ? product : tile.addi(product);
    }
    return tile;
  }

  @Override
  NDArray unscaledSquaredNorms() {
    if (scale == null) {
      // At fp32 the error scale is the norm itself: no second pass over (B, P) (and no temporary
      // of that size) for the squares.
      return errorScale.square();
    }
    NDArray sum = null;
    for (NDArray part : parts) {
      NDArray s = part.toType(DataType.FLOAT32, false).square().sum(new int[] {1});
      sum = sum == null ? s : sum.add(s);
    }
    return sum;
  }

  @Override
  long bytes() {
    long bytes = bytesOf(scale) + bytesOf(errorScale);
    for (NDArray part : parts) {
      bytes += bytesOf(part);
    }
    return bytes;
  }

  @Override
  long workspaceFloatsPerPair() {
    return parts.size() == 1 ? 1 : 2; // the tile, and one part's product before it is added
  }

  @Override
  long innerLength() {
    long length = 0;
    for (NDArray part : parts) {
      length += part.getShape().get(1);
    }
    return length;
  }

  @Override
  LayerOperand concat(List<LayerOperand> rest) {
    List<NDArray> joinedParts = new ArrayList<>(parts.size());
    for (int k = 0; k < parts.size(); k++) {
      int part = k;
      joinedParts.add(joined(parts.get(k), rest, (MaterialisedOperand o) -> o.parts.get(part)));
    }
    return new MaterialisedOperand(
        joinedParts,
        joined(scale, rest, (MaterialisedOperand o) -> o.scale),
        joined(errorScale, rest, (MaterialisedOperand o) -> o.errorScale));
  }

  @Override
  NDList arrays() {
    NDArray[] all = parts.toArray(new NDArray[parts.size() + 2]);
    all[parts.size()] = errorScale;
    all[parts.size() + 1] = scale;
    return present(all);
  }
}
