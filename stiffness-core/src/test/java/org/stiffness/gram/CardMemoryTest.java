package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The GPU default budgets come from the card's total and free memory, read once per device and
 * kept: a fake 16 GiB card with 14 GiB free and an 80 GiB one stand in for real GPUs.
 */
class CardMemoryTest {
  private static final long GIB = 1L << 30;
  private static final long SHARD_DEFAULT = 16 * GIB;

  @Test
  void aSixteenGibCardGetsHalfItsFreeMemoryAndAFixedBudgetWithinIt() {
    AtomicInteger reads = new AtomicInteger();
    // Free memory that drops by 4 GiB at every reading, as PyTorch's cache makes it look.
    MemoryBudget.Defaults card =
        new MemoryBudget.Defaults(
            d ->
                new MemoryBudget.DeviceMemory(16 * GIB, (14 - 4L * reads.getAndIncrement()) * GIB));
    Device gpu = Device.gpu(0);
    assertEquals(7 * GIB, card.budgetFor(gpu), "half of the 14 GiB free");
    assertEquals(8 * GIB, card.fixedBudgetFor(gpu, SHARD_DEFAULT), "half the card, not 16 GiB");
    assertEquals(7 * GIB, card.budgetFor(gpu), "kept, not read again");
    assertEquals(1, reads.get());
    assertEquals(new MemoryBudget.DeviceMemory(16 * GIB, 14 * GIB), card.memoryOf(gpu));
  }

  @Test
  void aLargeCardKeepsTheSixteenGibShardDefault() {
    MemoryBudget.Defaults card =
        new MemoryBudget.Defaults(d -> new MemoryBudget.DeviceMemory(80 * GIB, 79 * GIB));
    assertEquals(SHARD_DEFAULT, card.fixedBudgetFor(Device.gpu(1), SHARD_DEFAULT));
  }

  @Test
  void eachDeviceIsReadOnItsOwn() {
    MemoryBudget.Defaults cards =
        new MemoryBudget.Defaults(
            d -> new MemoryBudget.DeviceMemory((d.getDeviceId() + 1) * 16 * GIB, 10 * GIB));
    assertEquals(8 * GIB, cards.fixedBudgetFor(Device.gpu(0), SHARD_DEFAULT));
    assertEquals(16 * GIB, cards.fixedBudgetFor(Device.gpu(1), SHARD_DEFAULT));
  }

  @Test
  void aReadingWithMoreFreeThanTotalIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new MemoryBudget.DeviceMemory(GIB, 2 * GIB));
  }

  @Test
  void thisMachinesCpuReadingIsConsistent() {
    MemoryBudget.DeviceMemory cpu = MemoryBudget.read(Device.cpu());
    assertEquals(true, cpu.freeBytes() > 0 && cpu.freeBytes() <= cpu.totalBytes(), cpu.toString());
  }
}
