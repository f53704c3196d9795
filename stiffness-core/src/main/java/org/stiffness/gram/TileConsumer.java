package org.stiffness.gram;

/** Receives the tiles of a computation, in plan order, while they are on the device. */
@FunctionalInterface
public interface TileConsumer {
  /**
   * @param tile valid until this returns (it is closed then)
   */
  void accept(DeviceTile tile);
}
