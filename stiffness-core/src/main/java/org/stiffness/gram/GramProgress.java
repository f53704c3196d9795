package org.stiffness.gram;

/** Receives progress of a tiled Gram computation (from the computing thread). */
@FunctionalInterface
public interface GramProgress {
  /** Does nothing. */
  GramProgress NONE = (done, total) -> {};

  /**
   * @param tilesDone tiles finished so far
   * @param tilesTotal tiles in the whole computation
   */
  void tilesDone(long tilesDone, long tilesTotal);
}
