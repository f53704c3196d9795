package org.stiffness.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes use of freed native memory visible: collects garbage (so that unreachable direct buffers
 * give their memory back) and then fills many small freshly allocated blocks, which the allocator
 * takes from the memory just freed, with a bit pattern that is NaN both as a double and as each of
 * its two floats. A computation that still reads memory a collected buffer owned then reads NaN
 * instead of the value it stored: wrong for certain, instead of only wrong now and then.
 */
public final class FreedMemory implements AutoCloseable {
  /** NaN as a double (exponent all ones) and as both halves read as floats. */
  private static final long NAN_EVERYWHERE = 0x7FF87FC07FC07FC0L;

  private final List<ByteBuffer> scribbles;

  private FreedMemory(List<ByteBuffer> scribbles) {
    this.scribbles = scribbles;
  }

  /**
   * Collects garbage, gives the cleaner thread time to free direct buffers, then holds {@code
   * blocks} small blocks of NaN until closed (so they are not freed again before the computation
   * under test has run).
   */
  public static FreedMemory collectAndScribble() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<ByteBuffer> scribbles = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      ByteBuffer block = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
      block.putLong(0, NAN_EVERYWHERE);
      scribbles.add(block);
    }
    return new FreedMemory(scribbles);
  }

  @Override
  public void close() {
    scribbles.clear();
  }
}
