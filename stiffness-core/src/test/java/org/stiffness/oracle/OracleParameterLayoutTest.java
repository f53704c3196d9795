package org.stiffness.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Parameter tensors and gradient blocks are ordered as DJL orders a SequentialBlock's parameters:
 * layer by layer, weight then bias.
 */
class OracleParameterLayoutTest {

  @Test
  void cnnParameterTensorsFollowLayerOrderWeightThenBias() {
    // (1, 9, 7) -> conv -> (2, 9, 7) -> pool -> (2, 4, 3) -> conv -> (3, 4, 3) -> pool -> (3, 2, 1)
    OracleNet net = OracleNets.cnn(1, 9, 7, 2, 3, 4);
    int[][] shapes = {{2, 1, 3, 3}, {2}, {3, 2, 3, 3}, {3}, {4, 6}, {4}};
    int[] owners = {0, 0, 3, 3, 7, 7};
    assertEquals(shapes.length, net.parameterTensorCount());
    int offset = 0;
    for (int k = 0; k < shapes.length; k++) {
      assertArrayEquals(shapes[k], net.parameterShape(k), "tensor " + k);
      assertEquals(owners[k], net.parameterLayerIndex(k), "tensor " + k);
      assertEquals(offset, net.parameterOffset(k), "tensor " + k);
      offset += OracleLayer.size(shapes[k]);
    }
    assertEquals(offset, net.parameterCount());
  }

  @Test
  void mlpParameterShapesAreOutByIn() {
    OracleNet net = OracleNets.mlp(7, 6, 5, 4);
    assertArrayEquals(new int[] {6, 7}, net.parameterShape(0));
    assertArrayEquals(new int[] {5, 6}, net.parameterShape(2));
    assertArrayEquals(new int[] {4, 5}, net.parameterShape(4));
    assertEquals(6 * 7 + 6 + 5 * 6 + 5 + 4 * 5 + 4, net.parameterCount());
  }

  @Test
  void floatParametersRoundTripAndConcatenateInOrder() {
    Random rng = new Random(31);
    OracleNet net = OracleNets.cnn(2, 4, 4, 2, 2, 3);
    List<float[]> values = new ArrayList<>();
    for (int k = 0; k < net.parameterTensorCount(); k++) {
      float[] v = new float[OracleLayer.size(net.parameterShape(k))];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) rng.nextGaussian();
      }
      values.add(v);
    }
    net.setParameters(values);
    double[] flat = net.flatParameters();
    for (int k = 0; k < values.size(); k++) {
      assertArrayEquals(values.get(k), net.parameterAsFloats(k), 0f);
      for (int i = 0; i < values.get(k).length; i++) {
        assertEquals(values.get(k)[i], flat[net.parameterOffset(k) + i], 0.0);
      }
    }
  }

  @Test
  void setLayerParametersUsesSequentialChildIndex() {
    OracleNet net = OracleNets.mlp(2, 2, 2, 2);
    net.setLayerParameters(2, new float[] {1, 2, 3, 4}, new float[] {5, 6});
    assertArrayEquals(new float[] {1, 2, 3, 4}, net.parameterAsFloats(2), 0f);
    assertArrayEquals(new float[] {5, 6}, net.parameterAsFloats(3), 0f);
    assertThrows(
        IllegalArgumentException.class,
        () -> net.setLayerParameters(1, new float[4], new float[2]),
        "layer 1 is a ReLU");
    assertThrows(IllegalArgumentException.class, () -> net.setParameter(0, new float[3]));
  }

  @Test
  void linearGradientBlocksAreOuterProductThenBias() {
    // dL/dW[o, i] = (softmax(z) - onehot)[o] * x[i] at flat index o*in + i; dL/db follows.
    OracleNet net = OracleNet.builder(3).linear(2).build();
    net.setParameters(List.of(new float[] {1, -1, 0.5f, 0.25f, 2, -3}, new float[] {0.1f, -0.2f}));
    double[] x = {0.5, -1, 2};
    int label = 1;
    double[] dz = SoftmaxCrossEntropy.gradient(net.logits(x), label);
    double[] expected = new double[8];
    for (int o = 0; o < 2; o++) {
      for (int i = 0; i < 3; i++) {
        expected[o * 3 + i] = dz[o] * x[i];
      }
      expected[6 + o] = dz[o];
    }
    assertArrayEquals(expected, net.perExampleGradient(x, label), 0.0);
  }

  @Test
  void lastBiasGradientIsSoftmaxMinusOneHot() {
    Random rng = new Random(32);
    OracleNet net = OracleNets.mlp(4, 3, 3, 5).randomize(rng);
    double[] x = {0.3, -0.7, 1.1, 0.2};
    double[] g = net.perExampleGradient(x, 3);
    double[] dz = SoftmaxCrossEntropy.gradient(net.logits(x), 3);
    int offset = net.parameterOffset(5);
    for (int k = 0; k < 5; k++) {
      assertEquals(dz[k], g[offset + k], 0.0);
    }
  }

  @Test
  void randomizeIsDeterministicPerSeed() {
    double[] a = OracleNets.mlp(3, 4, 4, 2).randomize(new Random(7)).flatParameters();
    double[] b = OracleNets.mlp(3, 4, 4, 2).randomize(new Random(7)).flatParameters();
    assertArrayEquals(a, b, 0.0);
  }
}
