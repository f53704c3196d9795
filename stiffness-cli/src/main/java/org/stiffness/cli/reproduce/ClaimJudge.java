package org.stiffness.cli.reproduce;

import java.io.IOException;

/**
 * The verdict on one claim from one experiment's evidence. One small class per claim (two claims
 * that differ only in which xi or which distance profile they read share a class), each registered
 * once in {@link Claims}, as Opacus registers one gradient sampler per layer type.
 */
interface ClaimJudge {
  /** The claim this judge decides. */
  Claim claim();

  /**
   * @throws IllegalArgumentException when the summary lacks a field the claim needs, naming it
   * @throws IOException when a class matrix cannot be read
   */
  ClaimResult judge(Evidence evidence) throws IOException;
}
