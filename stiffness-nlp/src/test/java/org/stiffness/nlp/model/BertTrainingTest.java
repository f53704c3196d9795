package org.stiffness.nlp.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.stiffness.experiments.Training;
import org.stiffness.experiments.TrainingData;
import org.stiffness.gradients.SoftmaxCrossEntropy;

/** A model built from scratch trains: every parameter receives a gradient, and the loss falls. */
class BertTrainingTest {
  private static final int[] LENGTHS = {5, 7, 3, 6, 4, 7};
  private static final float[] LABELS = {0, 1, 2, 2, 1, 0};

  @Test
  void everyParameterGetsAGradient() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      manager.getEngine().setRandomSeed(5);
      BertClassifier model = new BertClassifier(TinyBert.CONFIG);
      model.initialize(manager);
      NDList batch = TinyBert.batch(manager, TinyBert.CONFIG, LENGTHS, 7, 3);
      Map<String, Parameter> parameters = model.huggingFaceParameters();
      parameters.values().forEach(p -> p.getArray().setRequiresGradient(true));
      ParameterStore store = new ParameterStore(manager, false);
      try (NDManager scope = manager.newSubManager()) {
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
          NDArray loss =
              new SoftmaxCrossEntropy()
                  .perExample(model.forward(store, batch, true), manager.create(LABELS));
          collector.backward(loss.mean());
        }
        for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
          NDArray gradient = p.getValue().getArray().getGradient();
          gradient.attach(scope);
          // Embedding rows of absent tokens get none; every tensor as a whole must.
          assertTrue(gradient.abs().sum().getFloat() > 0, p.getKey() + " has no gradient");
        }
      }
    }
  }

  /**
   * The tiny config with weights at standard deviation 0.1: at BERT's 0.02, tiny encoders trained
   * from scratch without warm-up stall or diverge nondeterministically (docs/nlp.md).
   */
  private static BertConfig wideInit() {
    return TinyBert.CONFIG.withInitializerRange(0.1f);
  }

  /**
   * Reproduces an open defect (docs/known-issues.md): under surefire, in about one run in three,
   * the batch loss of step 2 is NaN whatever the learning rate (1e-2 down to 3e-4 tried), i.e. the
   * first Adam update leaves non-finite weights; the same code in a plain JVM never did (0 of 10).
   * {@code Training} reports it as a divergence. Enable to investigate.
   */
  @Disabled("known issue: nondeterministic NaN after the first Adam step, docs/known-issues.md")
  @Test
  void trainingFromScratchFitsASmallBatch() throws IOException {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      manager.getEngine().setRandomSeed(5);
      BertClassifier model = new BertClassifier(wideInit());
      model.initialize(manager);
      NDList batch = TinyBert.batch(manager, TinyBert.CONFIG, LENGTHS, 7, 3);
      TrainingData data =
          new TrainingData() {
            @Override
            public int size() {
              return LABELS.length;
            }

            @Override
            public int label(int row) {
              return (int) LABELS[row];
            }

            @Override
            public NDList inputs(NDManager m, int[] rows) {
              NDArray index = m.create(rows);
              NDList out = new NDList();
              for (NDArray input : batch) {
                out.add(input.get(m, new ai.djl.ndarray.index.NDIndex("{}", index)));
              }
              return out;
            }
          };
      Training.Result result =
          Training.train(
              model,
              data,
              Training.Config.adam(3e-4).withBatchSize(LABELS.length),
              60,
              new long[0],
              (s, e) -> {},
              (s, l) -> {});
      float first = result.batchLosses()[0];
      float last = result.batchLosses()[result.batchLosses().length - 1];
      // A fresh model is near chance, ln 3 = 1.0986; 60 full-batch Adam steps at 3e-4 fit the six
      // examples.
      assertTrue(first > 0.8 && first < 1.5, "initial loss " + first);
      assertTrue(last < 0.6 * first, "loss after 60 Adam steps " + last);
    }
  }
}
