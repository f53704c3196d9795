/**
 * MNIST, Fashion-MNIST and CIFAR-10 through DJL's {@code basicdataset}, which downloads them into
 * DJL's cache where the internet exists, converted to the {@link
 * org.stiffness.datasets.LabelledImages} every other source gives. The only place that reaches the
 * network for data; every other source reads local files.
 */
package org.stiffness.vision.basicdataset;
