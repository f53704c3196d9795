package org.stiffness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stiffness.gradients.Examples;
import org.stiffness.gradients.SoftmaxCrossEntropy;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * An engine kept while the model trains on measures the model as it is at each computation, not as
 * it was when the engine was built: the oracle is an engine built afresh on the trained model.
 */
class EngineKeptAcrossTrainingTest {

  @ParameterizedTest
  @EnumSource(
      value = GradientMethod.class,
      names = {"PROBE", "GENERIC"})
  void anEngineKeptAcrossATrainingStepMeasuresTheTrainedModel(GradientMethod method) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 20, 4, 3, 0).examples();
      Examples y = RandomExamples.of(manager, "y", twin.exampleShape(), 7, 4, 3, 1).examples();
      try (StiffnessEngine kept = StiffnessEngine.builder(twin.block()).method(method).build()) {
        float[] before = kept.gram(x).values();

        trainOneStep(twin.block(), x, 0.5f);

        float[] after = kept.gram(x).values();
        float[] afterXy = kept.gram(x, y).values();
        try (StiffnessEngine fresh = StiffnessEngine.builder(twin.block()).method(method).build()) {
          assertArrayEquals(fresh.gram(x).values(), after, "gram(x) of the trained model");
          assertArrayEquals(fresh.gram(x, y).values(), afterXy, "gram(x, y) of the trained model");
        }
        assertFalse(Arrays.equals(before, after), "the step changed the Gram matrix");
      }
    }
  }

  /**
   * Loading parameters into the model gives it new arrays: an engine that kept the old ones (as it
   * did, sharing their storage on the model's own device) would go on measuring the old model.
   */
  @ParameterizedTest
  @EnumSource(
      value = GradientMethod.class,
      names = {"PROBE", "GENERIC"})
  void anEngineKeptWhileTheModelLoadsTrainedParametersMeasuresTheLoadedModel(GradientMethod method)
      throws IOException, MalformedModelException {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Twin trained = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 20, 4, 3, 0).examples();
      trainOneStep(trained.block(), x, 0.5f);
      ByteArrayOutputStream saved = new ByteArrayOutputStream();
      trained.block().saveParameters(new DataOutputStream(saved));
      try (StiffnessEngine kept = StiffnessEngine.builder(twin.block()).method(method).build()) {
        float[] before = kept.gram(x).values();
        NDArray oldWeight = firstWeight(twin.block());
        float[] oldValues = oldWeight.toFloatArray();

        twin.block()
            .loadParameters(
                manager, new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));

        float[] after = kept.gram(x).values();
        try (StiffnessEngine fresh = StiffnessEngine.builder(twin.block()).method(method).build()) {
          assertArrayEquals(fresh.gram(x).values(), after, "gram(x) of the loaded model");
        }
        assertFalse(Arrays.equals(before, after), "the loaded parameters changed the Gram matrix");
        assertArrayEquals(oldValues, oldWeight.toFloatArray(), "the model's old array untouched");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = GradientMethod.class,
      names = {"PROBE", "GENERIC"})
  void aParameterMadeNonFiniteIsRefusedAndTheEngineStillMeasuresTheRestoredModel(
      GradientMethod method) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 9, 4, 3, 0).examples();
      try (StiffnessEngine kept = StiffnessEngine.builder(twin.block()).method(method).build()) {
        float[] before = kept.gram(x).values();
        NDArray weight = firstWeight(twin.block());
        float old = weight.getFloat(0, 0);
        weight.set(new NDIndex("0, 0"), Float.NaN);
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> kept.gram(x));
        assertTrue(e.getMessage().contains("NaN or infinite"), e.getMessage());
        weight.set(new NDIndex("0, 0"), old);
        assertArrayEquals(before, kept.gram(x).values(), "the restored model measures as before");
      }
    }
  }

  private static NDArray firstWeight(Block model) {
    for (var entry : model.getParameters()) {
      if (entry.getValue().getType() == Parameter.Type.WEIGHT) {
        return entry.getValue().getArray();
      }
    }
    throw new AssertionError("no weight");
  }

  /** One plain SGD step on the model's own arrays, in place, as DJL's optimisers update them. */
  private static void trainOneStep(Block model, Examples batch, float lr) {
    for (var entry : model.getParameters()) {
      entry.getValue().getArray().setRequiresGradient(true);
    }
    try (NDManager step = NDManager.newBaseManager(Device.cpu())) {
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray losses =
            new SoftmaxCrossEntropy()
                .perExample(
                    model.forward(new ParameterStore(step, false), batch.inputs(), true),
                    batch.labels());
        collector.backward(losses.sum());
      }
      for (var entry : model.getParameters()) {
        NDArray array = entry.getValue().getArray();
        NDArray gradient = array.getGradient().duplicate();
        gradient.attach(step);
        array.setRequiresGradient(false); // libtorch refuses in-place writes into such leaves
        array.subi(gradient.mul(lr));
      }
    }
  }
}
