/**
 * The datasets of the paper's vision experiments as plain Java, with no engine: each dataset (the
 * built-in 8x8 digits, MNIST, Fashion-MNIST, CIFAR-10 and CIFAR-100) is read from its published
 * files into {@link org.stiffness.datasets.LabelledImages}, an immutable (N, C * H * W) float array
 * with a class label per example, and its standard training and test parts. What belongs here is a
 * dataset's identity (its files, shapes and class names), where a data directory keeps it, and the
 * readers of the published formats (MNIST's IDX, CIFAR's binary records and class-name files, the
 * digits CSV, gzipped or not), which refuse a file that breaks its format with a {@link
 * org.stiffness.datasets.MalformedDatasetException} naming the file and the problem. The paper's
 * preprocessing is in {@code preprocess} and the measured subsets in {@code subset}. The folder is
 * {@code datasets}, the artifact {@code stiffness-datasets}.
 */
package org.stiffness.datasets;
