/**
 * Readers of the datasets' published file formats: MNIST's IDX, CIFAR's binary records and
 * class-name files, and the digits CSV, each gzipped or not. A reader takes bytes and gives arrays
 * and labels, knows nothing of which dataset they belong to, and refuses a file that breaks its
 * format with a {@link org.stiffness.datasets.MalformedDatasetException} that names the file and
 * the problem.
 */
package org.stiffness.datasets.format;
