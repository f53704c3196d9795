package org.stiffness.vision.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.Examples;
import org.stiffness.gradients.LayerGradient;
import org.stiffness.gradients.SoftmaxCrossEntropy;
import org.stiffness.gradients.internal.BatchOfOneExtractor;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.gradients.rules.GradientRules;

/** ResNet20 without batch norm: its size, and per-example gradients through its residual blocks. */
class ResNet20Test {
  private static final Shape SMALL_IMAGE = new Shape(3, 8, 8);

  @Test
  void hasTheParameterCountOfResNet20() {
    // stem:   3*16*9 + 16                                     =     448
    // stage1: 3 blocks x 2 convs x (16*16*9 + 16)             =  13,920
    // stage2: (16*32*9+32) + (32*32*9+32) + (16*32+32)
    //         + 2 blocks x 2 x (32*32*9+32)                   =  51,424
    // stage3: (32*64*9+64) + (64*64*9+64) + (32*64+64)
    //         + 2 blocks x 2 x (64*64*9+64)                   = 205,248
    // dense:  64*10 + 10                                      =     650
    // total                                                   = 271,690
    try (NDManager manager = NDManager.newBaseManager()) {
      Block resnet = PaperModels.resnet20(10);
      resnet.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      long count = 0;
      for (var parameter : resnet.getParameters()) {
        count += parameter.getValue().getArray().size();
      }
      assertEquals(271_690, count);
      NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
      NDList out = resnet.forward(new ParameterStore(manager, false), new NDList(x), false);
      assertEquals(new Shape(2, 10), out.head().getShape());
    }
  }

  @Test
  void probePathCoversEveryLayerAndMatchesTheBatchOfOneLoop() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      manager.getEngine().setRandomSeed(11);
      Block resnet = PaperModels.resnet20(4);
      resnet.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(SMALL_IMAGE));
      assertNull(ProbeExtractor.unsupportedReason(resnet, GradientRules.defaults()));
      NDArray x = manager.randomNormal(new Shape(5).addAll(SMALL_IMAGE));
      NDArray y = manager.create(new float[] {0, 1, 2, 3, 1});
      Examples examples = Examples.of(x, y);
      try (ProbeExtractor probe =
              new ProbeExtractor(
                  resnet, new SoftmaxCrossEntropy(), GradientRules.defaults(), Device.cpu());
          BatchOfOneExtractor loop =
              new BatchOfOneExtractor(resnet, new SoftmaxCrossEntropy(), Device.cpu())) {
        List<LayerGradient> layers = probe.extract(examples, manager);
        // stem + 9 blocks x 2 convolutions + 2 projections + dense
        assertEquals(1 + 18 + 2 + 1, layers.size());
        NDList parts = new NDList();
        for (LayerGradient layer : layers) {
          parts.add(layer.materialise());
        }
        float[] fast = NDArrays.concat(parts, 1).toFloatArray();
        float[] reference = loop.extract(examples, manager).get(0).materialise().toFloatArray();
        assertEquals(reference.length, fast.length);
        double diff = 0;
        double norm = 0;
        for (int k = 0; k < fast.length; k++) {
          diff += (fast[k] - reference[k]) * (double) (fast[k] - reference[k]);
          norm += reference[k] * (double) reference[k];
        }
        assertTrue(norm > 0);
        assertTrue(Math.sqrt(diff / norm) <= 1e-5, "relative error " + Math.sqrt(diff / norm));
      }
    }
  }
}
