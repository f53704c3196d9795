/**
 * The datasets of the paper's vision experiments as plain Java, with no engine: each dataset (the
 * built-in 8x8 digits, MNIST, Fashion-MNIST, CIFAR-10 and CIFAR-100) is read from its published
 * files into {@link org.stiffness.datasets.LabelledImages}, an immutable (N, C * H * W) float array
 * with a class label per example, and its standard training and test parts. What belongs here is a
 * dataset's identity (its files, shapes and class names) and where a data directory keeps it; the
 * byte formats are in {@code format}, the paper's preprocessing in {@code preprocess} and the
 * measured subsets in {@code subset}. The folder is {@code datasets}, the artifact {@code
 * stiffness-datasets}.
 */
package org.stiffness.datasets;
