package org.stiffness.vision.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.gradients.rules.GradientRules;

class PaperModelsTest {
  private static final Shape MNIST = new Shape(1, 28, 28);

  @Test
  void fullyConnectedHasThePapersParameterCount() {
    // Weights + biases, layer by layer:
    //   784*500 + 500 = 392,500
    //   500*300 + 300 = 150,300
    //   300*100 + 100 =  30,100
    //   100*10  +  10 =   1,010
    //   total         = 573,910
    try (NDManager manager = NDManager.newBaseManager()) {
      Block fc = initialised(PaperModels.fullyConnected(10), manager, new Shape(784));
      assertEquals(573_910, parameterCount(fc));
    }
  }

  @Test
  void cnnHasThePapersParameterCount() {
    // conv1: 1*16*3*3  + 16 =   160
    // conv2: 16*32*3*3 + 32 = 4,640
    // conv3: 32*32*3*3 + 32 = 9,248
    // dense: 32*3*3*10 + 10 = 2,890   (28 -> 14 -> 7 -> 3 after three 2x2 pools)
    // total                 = 16,938
    try (NDManager manager = NDManager.newBaseManager()) {
      Block cnn = initialised(PaperModels.cnn(10), manager, MNIST);
      assertEquals(16_938, parameterCount(cnn));
    }
  }

  @Test
  void fullyConnectedMapsFlatAndImageInputsToLogits() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Block fc = initialised(PaperModels.fullyConnected(10), manager, new Shape(784));
      assertEquals(new Shape(5, 10), forward(fc, manager, new Shape(5, 784)));
      assertEquals(new Shape(3, 10), forward(fc, manager, new Shape(3, 1, 28, 28)));
    }
  }

  @Test
  void cnnMapsImagesToLogits() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Block cnn = initialised(PaperModels.cnn(7), manager, MNIST);
      assertEquals(new Shape(4, 7), forward(cnn, manager, new Shape(4, 1, 28, 28)));
    }
  }

  @Test
  void cnnSeesThreeByThreeFeatureMapsBeforeTheDenseLayer() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Block cnn = initialised(PaperModels.cnn(10), manager, MNIST);
      // The last weight is the dense layer's: (classes, 32 * 3 * 3).
      assertEquals(new Shape(10, 288), lastWeight(cnn).getArray().getShape());
    }
  }

  @Test
  void everyTrainableLayerHasAProbeRule() {
    assertNull(
        ProbeExtractor.unsupportedReason(PaperModels.fullyConnected(10), GradientRules.defaults()));
    assertNull(ProbeExtractor.unsupportedReason(PaperModels.cnn(10), GradientRules.defaults()));
  }

  @Test
  void rejectsFewerThanTwoClasses() {
    assertThrows(IllegalArgumentException.class, () -> PaperModels.fullyConnected(1));
    assertThrows(IllegalArgumentException.class, () -> PaperModels.cnn(0));
  }

  private static Parameter lastWeight(Block block) {
    Parameter weight = null;
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getKey().endsWith("weight")) {
        weight = p.getValue();
      }
    }
    return weight;
  }

  private static Block initialised(Block block, NDManager manager, Shape example) {
    block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(example));
    return block;
  }

  private static long parameterCount(Block block) {
    long count = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      count += p.getValue().getArray().size();
    }
    return count;
  }

  private static Shape forward(Block block, NDManager manager, Shape input) {
    NDArray x = manager.randomNormal(input);
    NDList out = block.forward(new ParameterStore(manager, false), new NDList(x), false);
    return out.singletonOrThrow().getShape();
  }
}
