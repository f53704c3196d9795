package org.stiffness.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.modality.nlp.DefaultVocabulary;
import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.IdEmbedding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.internal.BatchOfOneExtractor;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.gradients.rules.GradientRules;

/**
 * Every per-layer rule against the generic batch-of-one loop (DJL's own autograd, one example at a
 * time): the per-example gradients of the whole model, materialised, agree to 1e-5.
 */
class ProbeRulesAgainstBatchOfOneTest {
  private static final double TOLERANCE = 1e-5;
  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
    manager.getEngine().setRandomSeed(3);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @Test
  void batchNormInInferenceModeWithNonTrivialRunningStatistics() {
    SequentialBlock model =
        new SequentialBlock()
            .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
            .add(BatchNorm.builder().build())
            .add(Activation::relu)
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(3).build());
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 6, 6));
    BatchNorm norm = (BatchNorm) model.getChildren().get(1).getValue();
    var parameters = norm.getDirectParameters();
    parameters.get("runningMean").getArray().set(manager.randomNormal(new Shape(4)).toFloatArray());
    parameters
        .get("runningVar")
        .getArray()
        .set(manager.randomUniform(0.5f, 2f, new Shape(4)).toFloatArray());
    parameters.get("gamma").getArray().set(manager.randomNormal(new Shape(4)).toFloatArray());
    parameters.get("beta").getArray().set(manager.randomNormal(new Shape(4)).toFloatArray());
    assertAgree(model, manager.randomNormal(new Shape(7, 2, 6, 6)), labels(7, 3), 3);
  }

  @Test
  void layerNormOverLastAxisAndLinearOnTokens() {
    SequentialBlock model =
        new SequentialBlock()
            .add(LayerNorm.builder().axis(2).build())
            .add(Linear.builder().setUnits(5).build())
            .add(Activation::relu)
            .addSingleton(x -> x.mean(new int[] {1}))
            .add(Linear.builder().setUnits(3).build());
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 6));
    randomiseNormalisation(model.getChildren().get(0).getValue());
    assertAgree(model, manager.randomNormal(new Shape(6, 4, 6)), labels(6, 3), 3);
  }

  @Test
  void layerNormOverAllButTheFirstAxis() {
    SequentialBlock model =
        new SequentialBlock()
            .add(LayerNorm.builder().build())
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(3).build());
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 4));
    randomiseNormalisation(model.getChildren().get(0).getValue());
    assertAgree(model, manager.randomNormal(new Shape(5, 3, 4)), labels(5, 3), 2);
  }

  @Test
  void wordEmbeddingWithRepeatedTokens() {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      words.add("w" + i);
    }
    SequentialBlock model =
        new SequentialBlock()
            .add(
                TrainableWordEmbedding.builder()
                    .setVocabulary(new DefaultVocabulary(words))
                    .setEmbeddingSize(4)
                    .build())
            .add(Linear.builder().setUnits(5).build())
            .add(Activation::tanh)
            .addSingleton(x -> x.sum(new int[] {1}))
            .add(Linear.builder().setUnits(3).build());
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 6));
    // Few distinct ids so that examples share tokens and tokens repeat within an example.
    NDArray ids = manager.randomInteger(0, 5, new Shape(8, 6), DataType.INT64);
    assertAgree(model, ids, labels(8, 3), 3);
  }

  @Test
  void transformerIdEmbedding() {
    SequentialBlock model =
        new SequentialBlock()
            .add(new IdEmbedding.Builder().setDictionarySize(9).setEmbeddingSize(4).build())
            .add(LayerNorm.builder().axis(2).build())
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(3).build());
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 5));
    NDArray ids = manager.randomInteger(0, 9, new Shape(6, 5), DataType.INT32);
    assertAgree(model, ids, labels(6, 3), 3);
  }

  private static NDArray labels(int n, int classes) {
    return manager
        .randomInteger(0, classes, new Shape(n), DataType.INT64)
        .toType(DataType.FLOAT32, false);
  }

  private static void randomiseNormalisation(Block norm) {
    for (String name : new String[] {"gamma", "beta"}) {
      NDArray array = norm.getDirectParameters().get(name).getArray();
      array.set(manager.randomNormal(array.getShape()).toFloatArray());
    }
  }

  private static void assertAgree(Block model, NDArray inputs, NDArray labels, int layers) {
    Examples examples = Examples.of(inputs, labels);
    try (NDManager results = manager.newSubManager();
        ProbeExtractor probe =
            new ProbeExtractor(
                model, new SoftmaxCrossEntropy(), GradientRules.defaults(), Device.cpu());
        BatchOfOneExtractor loop =
            new BatchOfOneExtractor(model, new SoftmaxCrossEntropy(), Device.cpu())) {
      List<LayerGradient> probed = probe.extract(examples, results);
      assertEquals(layers, probed.size(), "parametrised layers seen by the probe extractor");
      NDList parts = new NDList();
      for (LayerGradient gradient : probed) {
        parts.add(gradient.materialise());
      }
      float[] fast = NDArrays.concat(parts, 1).toFloatArray();
      float[] reference = loop.extract(examples, results).get(0).materialise().toFloatArray();
      assertEquals(reference.length, fast.length, "parameter count");
      double diff = 0;
      double norm = 0;
      for (int k = 0; k < fast.length; k++) {
        diff += (fast[k] - reference[k]) * (double) (fast[k] - reference[k]);
        norm += reference[k] * (double) reference[k];
      }
      double error = Math.sqrt(diff / norm);
      assertTrue(norm > 0, "reference gradients are all zero");
      assertTrue(error <= TOLERANCE, "relative error " + error);
    }
  }
}
