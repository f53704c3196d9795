package org.stiffness.datasets;

import java.util.Objects;

/**
 * The standard training and test parts of a dataset, as published (MNIST's 60000/10000, CIFAR's
 * 50000/10000). Both parts share shape and class names.
 *
 * @param train the training part; preprocessing statistics are computed from it alone
 * @param test the held-out part
 */
public record TrainTestSplit(LabelledImages train, LabelledImages test) {

  /**
   * @throws NullPointerException when a split is missing
   */
  public TrainTestSplit {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    if (!train.shape().equals(test.shape())) {
      throw new IllegalArgumentException(
          "train shape " + train.shape() + " differs from test shape " + test.shape());
    }
    if (!train.classNames().equals(test.classNames())) {
      throw new IllegalArgumentException("train and test have different class names");
    }
  }
}
