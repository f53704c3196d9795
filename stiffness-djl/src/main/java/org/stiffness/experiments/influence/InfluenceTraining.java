package org.stiffness.experiments.influence;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.stiffness.experiments.Training;
import org.stiffness.experiments.TrainingData;

/**
 * Trains a classifier at a constant learning rate and keeps its parameters at TracIn's checkpoints
 * ({@link InfluenceCheckpoints}), with the loss and accuracy at each: what the influence of every
 * training example is then computed from. The checkpoints stay in memory, serialised as DJL writes
 * parameters (a few MB for the paper's models).
 */
public final class InfluenceTraining {
  private InfluenceTraining() {}

  /**
   * Loss and accuracy of the model at one checkpoint.
   *
   * @param train on the training set as trained, flipped labels included
   * @param test on the test set
   */
  public record Evaluated(Training.Evaluation train, Training.Evaluation test) {}

  /**
   * A trained run.
   *
   * @param checkpoints the checkpoints, ascending in step, with their weights
   * @param parameters the model's parameters at each checkpoint, as {@link Block#saveParameters}
   *     writes them
   * @param evaluations loss and accuracy at each checkpoint
   * @param totalSteps optimiser steps taken
   * @param batchLosses the mean batch loss of every step
   */
  public record Trained(
      List<InfluenceCheckpoints.Checkpoint> checkpoints,
      List<byte[]> parameters,
      List<Evaluated> evaluations,
      long totalSteps,
      float[] batchLosses) {
    /** Keeps unmodifiable copies of the lists. */
    public Trained {
      checkpoints = List.copyOf(checkpoints);
      parameters = List.copyOf(parameters);
      evaluations = List.copyOf(evaluations);
    }

    /**
     * Loads checkpoint {@code k}'s parameters into {@code model}, which must have the trained
     * model's architecture and be initialised.
     */
    public void load(int k, Block model) throws IOException {
      NDManager owner = Training.parametersManager(model);
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters.get(k)))) {
        model.loadParameters(owner, in);
      } catch (MalformedModelException e) {
        throw new IOException("checkpoint " + k + " is not this model's: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Trains {@code model} in place for {@code totalSteps} steps and keeps it at {@code checkpoints}.
   *
   * @param model an initialised classifier (its initial weights seeded by the caller)
   * @param train the training data, as trained (flipped labels included)
   * @param test evaluated at each checkpoint
   * @param config optimiser, learning rate, batch size, shuffling seed
   * @param totalSteps optimiser steps
   * @param checkpoints where to keep the model, e.g. {@link InfluenceCheckpoints#evenlySpaced}
   * @param listener told after every step
   * @throws Training.DivergedException when a batch loss stops being finite
   */
  public static Trained train(
      Block model,
      TrainingData train,
      TrainingData test,
      Training.Config config,
      long totalSteps,
      List<InfluenceCheckpoints.Checkpoint> checkpoints,
      Training.StepListener listener)
      throws IOException {
    Objects.requireNonNull(listener, "listener");
    List<byte[]> saved = new ArrayList<>();
    List<Evaluated> evaluations = new ArrayList<>();
    Training.Result result =
        Training.train(
            model,
            train,
            config,
            totalSteps,
            InfluenceCheckpoints.steps(checkpoints),
            (step, epoch) -> {
              saved.add(save(model));
              evaluations.add(
                  new Evaluated(Training.evaluate(model, train), Training.evaluate(model, test)));
            },
            listener);
    return new Trained(checkpoints, saved, evaluations, totalSteps, result.batchLosses());
  }

  private static byte[] save(Block model) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      model.saveParameters(out);
    }
    return bytes.toByteArray();
  }
}
