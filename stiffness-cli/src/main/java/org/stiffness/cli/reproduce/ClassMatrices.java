package org.stiffness.cli.reproduce;

import java.io.IOException;

/**
 * Reads a class matrix an experiment's summary names by path ({@code class_cos_matrix}), so that
 * {@link Claims} can be tested on matrices held in memory.
 */
@FunctionalInterface
public interface ClassMatrices {
  /**
   * @param path as the summary gives it, relative to the experiment directory
   * @return the {@code (classes, classes)} matrix, row-major; NaN for an empty cell
   * @throws IOException when the file is missing or malformed; the message names it
   */
  double[][] read(String path) throws IOException;
}
