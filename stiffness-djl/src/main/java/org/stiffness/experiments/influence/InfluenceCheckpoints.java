package org.stiffness.experiments.influence;

import java.util.ArrayList;
import java.util.List;

/**
 * TracInCP's checkpoints: {@code K} checkpoints evenly spaced in optimiser steps, each weighted by
 * the learning rate times the steps it stands for.
 *
 * <p>Convention: over {@code T} steps, checkpoint {@code k = 1..K} is the model after step {@code
 * s_k = round(k T / K)} and stands for the steps since the one before, {@code (s_{k-1}, s_k]} with
 * {@code s_0 = 0}, so its weight is {@code w_k = lr * (s_k - s_{k-1})} and the weights sum to
 * {@code lr * T}. This is TracIn's idealised sum over every step, {@code sum_t lr g_t(z) .
 * g_t(z')}, with each step's gradients replaced by those at the end of its interval; the last
 * checkpoint is the trained model. The initial model (step 0) is never a checkpoint: it has not
 * seen the labels. With Adam the weight is nominal: TracIn's derivation assumes plain SGD steps
 * {@code -lr g}.
 */
public final class InfluenceCheckpoints {
  private InfluenceCheckpoints() {}

  /**
   * One checkpoint.
   *
   * @param step optimiser steps taken before it, {@code s_k}
   * @param steps the steps it stands for, {@code s_k - s_{k-1}}
   * @param learningRate the constant learning rate of those steps
   * @param weight {@code learningRate * steps}
   */
  public record Checkpoint(long step, long steps, double learningRate, double weight) {}

  /**
   * The {@code count} checkpoints of a run of {@code totalSteps} steps.
   *
   * @throws IllegalArgumentException when {@code count} is below 1 or above {@code totalSteps} (two
   *     checkpoints would be the same step)
   */
  public static List<Checkpoint> evenlySpaced(long totalSteps, int count, double learningRate) {
    if (count < 1) {
      throw new IllegalArgumentException("--checkpoints must be at least 1, got " + count);
    }
    if (count > totalSteps) {
      throw new IllegalArgumentException(
          "--checkpoints "
              + count
              + " is more than the run's "
              + totalSteps
              + " optimiser steps: each checkpoint needs at least one step of its own");
    }
    List<Checkpoint> out = new ArrayList<>(count);
    long previous = 0;
    for (int k = 1; k <= count; k++) {
      // k * T / K exactly in integers, rounded half up: no floating-point drift on long runs.
      long step = (2L * k * totalSteps + count) / (2L * count);
      out.add(
          new Checkpoint(step, step - previous, learningRate, learningRate * (step - previous)));
      previous = step;
    }
    return out;
  }

  /** The steps of {@code checkpoints}, ascending. */
  public static long[] steps(List<Checkpoint> checkpoints) {
    return checkpoints.stream().mapToLong(Checkpoint::step).toArray();
  }
}
