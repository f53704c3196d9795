package org.stiffness.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A small sequential network evaluated in plain Java float64, with hand-written forward and
 * backward passes: the independent reference that DJL-based per-example gradients are tested
 * against. It uses no DJL, so a bug there cannot hide here.
 *
 * <p><b>Parameter layout</b> (matches DJL's {@code SequentialBlock.getParameters()} order): the
 * parametrised layers in network order, each contributing its weight then its bias. Linear weight
 * is {@code (out, in)}, Conv2d weight is {@code (outChannels, inChannels, kH, kW)}, both row-major;
 * biases are {@code (out)}. Parameter tensors are numbered {@code 0 .. parameterTensorCount()-1} in
 * that order; the flat per-example gradient concatenates them in the same order, so it has length
 * {@link #parameterCount()} and lines up entry by entry with DJL's parameters flattened and
 * concatenated.
 *
 * <p><b>Layer indices</b> count every layer, including ReLU, max-pool and flatten, exactly as the
 * children of a DJL {@code SequentialBlock} are counted.
 *
 * <p>One example's input is a flat {@code double[]} in row-major order of {@link #inputShape()}
 * ({@code (features)} or {@code (C, H, W)}, no batch axis); the last layer must output {@code
 * (classes)} logits.
 */
public final class OracleNet {
  private final int[] inputShape;
  private final List<OracleLayer> layers;

  /** Parameter tensors in layout order, live (shared with the layers). */
  private final List<double[]> parameters;

  private final List<int[]> parameterShapes;

  /** For each parameter tensor, the index of the layer that owns it. */
  private final List<Integer> parameterLayer;

  private final int parameterCount;

  private OracleNet(int[] inputShape, List<OracleLayer> layers) {
    this.inputShape = inputShape.clone();
    this.layers = List.copyOf(layers);
    List<double[]> params = new ArrayList<>();
    List<int[]> shapes = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    int count = 0;
    for (int l = 0; l < layers.size(); l++) {
      OracleLayer layer = layers.get(l);
      params.addAll(layer.parameters());
      shapes.addAll(layer.parameterShapes());
      for (int k = 0; k < layer.parameters().size(); k++) {
        owners.add(l);
      }
      count = Math.addExact(count, layer.parameterCount());
    }
    this.parameters = Collections.unmodifiableList(params);
    this.parameterShapes = Collections.unmodifiableList(shapes);
    this.parameterLayer = List.copyOf(owners);
    this.parameterCount = count;
  }

  /**
   * Starts a network whose examples have the given shape, {@code (features)} or {@code (C, H, W)}.
   * Layer shapes are inferred as layers are appended; all parameters start at zero.
   */
  public static Builder builder(int... inputShape) {
    return new Builder(inputShape);
  }

  /** Appends layers while tracking the current per-example shape. */
  public static final class Builder {
    private final int[] inputShape;
    private final List<OracleLayer> layers = new ArrayList<>();
    private int[] shape;

    private Builder(int[] inputShape) {
      if (inputShape.length != 1 && inputShape.length != 3) {
        throw new IllegalArgumentException(
            "input shape must be (features) or (C, H, W): " + Arrays.toString(inputShape));
      }
      this.inputShape = inputShape.clone();
      this.shape = inputShape.clone();
    }

    private Builder add(OracleLayer layer) {
      layers.add(layer);
      shape = layer.outputShape();
      return this;
    }

    /** Linear layer to {@code out} features; the current shape must be 1-D (flatten first). */
    public Builder linear(int out) {
      if (shape.length != 1) {
        throw new IllegalStateException(
            "linear needs a 1-D input, current shape "
                + Arrays.toString(shape)
                + "; add flatten()");
      }
      return add(new LinearLayer(shape[0], out));
    }

    /** Square-kernel Conv2d, see {@link Conv2dLayer}. */
    public Builder conv2d(int outChannels, int kernel, int stride, int padding, int dilation) {
      return conv2d(outChannels, kernel, kernel, stride, padding, dilation);
    }

    /** Conv2d with a {@code kH x kW} kernel, see {@link Conv2dLayer}. */
    public Builder conv2d(int outChannels, int kH, int kW, int stride, int padding, int dilation) {
      return add(new Conv2dLayer(shape, outChannels, kH, kW, stride, padding, dilation));
    }

    /**
     * A residual unit {@code x + W x + b} on the current 1-D shape ({@link ResidualLinearLayer},
     * the twin of a DJL {@code ParallelBlock} of a linear branch and an identity branch).
     */
    public Builder residualLinear() {
      if (shape.length != 1) {
        throw new IllegalStateException("a residual unit needs a 1-D input");
      }
      return add(new ResidualLinearLayer(shape[0]));
    }

    public Builder relu() {
      return add(new ReluLayer(shape));
    }

    public Builder maxPool2x2() {
      return add(new MaxPool2x2Layer(shape));
    }

    public Builder flatten() {
      return add(new FlattenLayer(shape));
    }

    public OracleNet build() {
      if (shape.length != 1) {
        throw new IllegalStateException(
            "the last layer must output (classes) logits, got " + Arrays.toString(shape));
      }
      return new OracleNet(inputShape, layers);
    }
  }

  // ---------------------------------------------------------------- structure and parameters

  /** Shape of one example, without batch axis. */
  public int[] inputShape() {
    return inputShape.clone();
  }

  /** Number of logits of the last layer. */
  public int numClasses() {
    return layers.get(layers.size() - 1).outputShape()[0];
  }

  /** All layers, in order (index = DJL SequentialBlock child index). */
  public List<OracleLayer> layers() {
    return layers;
  }

  /** Total number of scalar parameters P, the length of a per-example gradient. */
  public int parameterCount() {
    return parameterCount;
  }

  /** Number of parameter tensors (two per Linear or Conv2d layer). */
  public int parameterTensorCount() {
    return parameters.size();
  }

  /** Shape of parameter tensor {@code index}, e.g. {@code (out, in)}. */
  public int[] parameterShape(int index) {
    return parameterShapes.get(index).clone();
  }

  /** Index of the layer that owns parameter tensor {@code index}. */
  public int parameterLayerIndex(int index) {
    return parameterLayer.get(index);
  }

  /** Offset of parameter tensor {@code index} in the flat parameter and gradient vectors. */
  public int parameterOffset(int index) {
    int offset = 0;
    for (int k = 0; k < index; k++) {
      offset += parameters.get(k).length;
    }
    return offset;
  }

  /** A copy of parameter tensor {@code index}, row-major. */
  public double[] parameter(int index) {
    return parameters.get(index).clone();
  }

  /** A float32 copy of parameter tensor {@code index}, row-major (for comparing with DJL). */
  public float[] parameterAsFloats(int index) {
    double[] p = parameters.get(index);
    float[] f = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      f[i] = (float) p[i];
    }
    return f;
  }

  /**
   * Overwrites parameter tensor {@code index} with row-major values, e.g. a DJL parameter's {@code
   * getArray().toFloatArray()}; floats are widened exactly to double.
   */
  public void setParameter(int index, float[] values) {
    double[] p = parameters.get(index);
    requireLength("parameter " + index, values.length, p.length);
    for (int i = 0; i < p.length; i++) {
      p[i] = values[i];
    }
  }

  /** Overwrites parameter tensor {@code index} with row-major values. */
  public void setParameter(int index, double[] values) {
    double[] p = parameters.get(index);
    requireLength("parameter " + index, values.length, p.length);
    System.arraycopy(values, 0, p, 0, p.length);
  }

  /**
   * Overwrites all parameter tensors, in layout order, e.g. from DJL's {@code
   * block.getParameters().values()} converted with {@code toFloatArray()}.
   */
  public void setParameters(List<float[]> values) {
    requireLength("parameter tensors", values.size(), parameters.size());
    for (int k = 0; k < values.size(); k++) {
      setParameter(k, values.get(k));
    }
  }

  /**
   * Overwrites the weight and bias of the Linear or Conv2d layer at {@code layerIndex} (counting
   * every layer, as DJL counts SequentialBlock children).
   */
  public void setLayerParameters(int layerIndex, float[] weight, float[] bias) {
    int first = parameterLayer.indexOf(layerIndex);
    if (first < 0) {
      throw new IllegalArgumentException("layer " + layerIndex + " has no parameters");
    }
    setParameter(first, weight);
    setParameter(first + 1, bias);
  }

  /** All parameters concatenated in layout order, length {@link #parameterCount()}. */
  public double[] flatParameters() {
    double[] flat = new double[parameterCount];
    int offset = 0;
    for (double[] p : parameters) {
      System.arraycopy(p, 0, flat, offset, p.length);
      offset += p.length;
    }
    return flat;
  }

  /** Inverse of {@link #flatParameters()}. */
  public void setFlatParameters(double[] flat) {
    requireLength("flat parameters", flat.length, parameterCount);
    int offset = 0;
    for (double[] p : parameters) {
      System.arraycopy(flat, offset, p, 0, p.length);
      offset += p.length;
    }
  }

  /**
   * Fills weights with He-normal values {@code N(0, 2 / fanIn)} and biases with {@code N(0,
   * 0.1^2)}. Biases are non-zero on purpose, so that their gradients are tested with non-trivial
   * activations.
   *
   * @return this
   */
  public OracleNet randomize(Random rng) {
    for (int k = 0; k < parameters.size(); k += 2) {
      double[] weight = parameters.get(k);
      double[] bias = parameters.get(k + 1);
      // weight has (out, fanIn...) with out = bias.length, so fanIn = |weight| / |bias|.
      double std = Math.sqrt(2.0 / (weight.length / bias.length));
      for (int i = 0; i < weight.length; i++) {
        weight[i] = std * rng.nextGaussian();
      }
      for (int i = 0; i < bias.length; i++) {
        bias[i] = 0.1 * rng.nextGaussian();
      }
    }
    return this;
  }

  // ---------------------------------------------------------------- forward and backward

  /**
   * The input of every layer followed by the logits: element {@code l} is the input of layer {@code
   * l}, the last element is the network output {@code (classes)}.
   */
  public List<double[]> activations(double[] input) {
    requireLength("input", input.length, OracleLayer.size(inputShape));
    List<double[]> acts = new ArrayList<>(layers.size() + 1);
    double[] x = input;
    acts.add(x);
    for (OracleLayer layer : layers) {
      x = layer.forward(x);
      acts.add(x);
    }
    return acts;
  }

  /** Logits {@code (classes)} for one example. */
  public double[] logits(double[] input) {
    List<double[]> acts = activations(input);
    return acts.get(acts.size() - 1);
  }

  /** Per-example loss {@code logsumexp(z) - z[label]}, in nats. */
  public double loss(double[] input, int label) {
    return SoftmaxCrossEntropy.loss(logits(input), label);
  }

  /**
   * The gradient of {@link #loss} with respect to all parameters, flat in layout order, length
   * {@link #parameterCount()}.
   */
  public double[] perExampleGradient(double[] input, int label) {
    List<double[]> acts = activations(input);
    double[] grad = new double[parameterCount];
    double[] dy = SoftmaxCrossEntropy.gradient(acts.get(layers.size()), label);
    int end = parameterCount;
    for (int l = layers.size() - 1; l >= 0; l--) {
      OracleLayer layer = layers.get(l);
      end -= layer.parameterCount();
      dy = layer.backward(acts.get(l), dy, grad, end);
    }
    return grad;
  }

  /**
   * Per-example gradients of a batch, one row per example.
   *
   * @param inputs {@code (N, size(inputShape))}
   * @param labels {@code (N)}
   * @return {@code G}, shape {@code (N, P)}
   */
  public double[][] perExampleGradients(double[][] inputs, int[] labels) {
    requireLength("labels", labels.length, inputs.length);
    double[][] g = new double[inputs.length][];
    for (int n = 0; n < inputs.length; n++) {
      g[n] = perExampleGradient(inputs[n], labels[n]);
    }
    return g;
  }

  /** Per-example losses of a batch, shape {@code (N)}. */
  public double[] losses(double[][] inputs, int[] labels) {
    requireLength("labels", labels.length, inputs.length);
    double[] out = new double[inputs.length];
    for (int n = 0; n < inputs.length; n++) {
      out[n] = loss(inputs[n], labels[n]);
    }
    return out;
  }

  /**
   * Distance of this example from the nearest non-differentiable point: the smallest {@code |x|}
   * over all ReLU inputs and the smallest gap between the winner and runner-up of any max-pool
   * window. A parameter perturbation that moves every activation by less than half of it cannot
   * cross a kink, so finite differences are valid.
   *
   * <p>Max-pool windows right after a ReLU whose winner is exactly 0 are skipped: they hold only
   * dead units, whose ReLU margin already keeps them at 0, so the tie has no effect.
   */
  public double kinkMargin(double[] input) {
    List<double[]> acts = activations(input);
    double margin = Double.POSITIVE_INFINITY;
    for (int l = 0; l < layers.size(); l++) {
      OracleLayer layer = layers.get(l);
      double[] x = acts.get(l);
      if (layer instanceof ReluLayer) {
        for (double v : x) {
          margin = Math.min(margin, Math.abs(v));
        }
      } else if (layer instanceof MaxPool2x2Layer pool) {
        boolean afterRelu = l > 0 && layers.get(l - 1) instanceof ReluLayer;
        margin = Math.min(margin, pool.minimumGap(x, afterRelu));
      }
    }
    return margin;
  }

  // ---------------------------------------------------------------- Gram and cosine

  /** {@code a . b}. */
  public static double dot(double[] a, double[] b) {
    requireLength("b", b.length, a.length);
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /**
   * {@code K = G_X G_Y^T}: {@code K[i][j] = gx[i] . gy[j]}.
   *
   * @param gx {@code (N, P)}
   * @param gy {@code (M, P)}
   * @return {@code (N, M)}
   */
  public static double[][] gram(double[][] gx, double[][] gy) {
    double[][] k = new double[gx.length][gy.length];
    for (int i = 0; i < gx.length; i++) {
      for (int j = 0; j < gy.length; j++) {
        k[i][j] = dot(gx[i], gy[j]);
      }
    }
    return k;
  }

  /** {@code a . b / (|a| |b|)}; NaN when either vector is zero (it has no direction). */
  public static double cosine(double[] a, double[] b) {
    return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
  }

  /**
   * Cosine stiffness matrix {@code C[i][j] = cos(gx[i], gy[j])}, shape {@code (N, M)}; NaN entries
   * where a gradient is zero.
   */
  public static double[][] cosineGram(double[][] gx, double[][] gy) {
    double[][] k = gram(gx, gy);
    for (int i = 0; i < gx.length; i++) {
      double ni = Math.sqrt(dot(gx[i], gx[i]));
      for (int j = 0; j < gy.length; j++) {
        k[i][j] /= ni * Math.sqrt(dot(gy[j], gy[j]));
      }
    }
    return k;
  }

  private static void requireLength(String what, int actual, int expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(what + " has length " + actual + ", expected " + expected);
    }
  }
}
