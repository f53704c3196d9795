package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TorchLoggingTest {
  @Test
  void unsetOrUnknownLevelMeansErrorsOnly() {
    assertEquals(2, TorchLogging.level(null));
    assertEquals(2, TorchLogging.level("loud"));
  }

  @Test
  void namedAndNumericLevelsFollowC10() {
    assertEquals(0, TorchLogging.level("info"));
    assertEquals(1, TorchLogging.level("WARNING"));
    assertEquals(1, TorchLogging.level("1"));
    assertEquals(3, TorchLogging.level("FATAL"));
  }
}
