package org.stiffness.cli;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.Locale;
import org.stiffness.vision.models.PaperModels;

/** The paper's vision models the benchmarks build, with the example shape they are timed on. */
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
  },
  /** {@link PaperModels#resnet20}: CIFAR-sized examples {@code (3, 32, 32)}. */
  RESNET20(new Shape(3, 32, 32)) {
    @Override
    SequentialBlock build(int classes) {
      return PaperModels.resnet20(classes);
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
    throw new IllegalArgumentException(
        "unknown model '" + text + "': expected fc, cnn or resnet20");
  }
}
