package org.stiffness.cli;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.Locale;
import org.stiffness.models.PaperModels;

/** The paper's vision models the benchmarks build, with their MNIST-sized example shape. */
enum ModelKind {
  /** {@link PaperModels#fullyConnected}: examples {@code (784)}. */
  FC(new Shape(784)) {
    @Override
    SequentialBlock build(int classes) {
      return PaperModels.fullyConnected(classes);
    }
  },
  /** {@link PaperModels#cnn}: examples {@code (1, 28, 28)}. */
  CNN(new Shape(1, 28, 28)) {
    @Override
    SequentialBlock build(int classes) {
      return PaperModels.cnn(classes);
    }
  };

  private final Shape exampleShape;

  ModelKind(Shape exampleShape) {
    this.exampleShape = exampleShape;
  }

  /** An uninitialised model with {@code classes} outputs. */
  abstract SequentialBlock build(int classes);

  /** Shape of one example, without the batch dimension. */
  Shape exampleShape() {
    return exampleShape;
  }

  /** Lower-case name as typed on the command line. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ModelKind parse(String text) {
    for (ModelKind kind : values()) {
      if (kind.name().equalsIgnoreCase(text.trim())) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown model '" + text + "': expected fc or cnn");
  }
}
