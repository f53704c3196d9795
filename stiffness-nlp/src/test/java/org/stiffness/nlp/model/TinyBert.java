package org.stiffness.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Map;
import java.util.Random;

/** Small BERT models with non-trivial parameters and padded sentence-pair batches for tests. */
final class TinyBert {
  /** A vocabulary small enough that tokens repeat within and across examples. */
  static final BertConfig CONFIG = BertConfig.tiny().withVocabSize(23).withMaxPositions(16);

  static final int CLS = 1;

  private TinyBert() {}

  /**
   * The tiny model with every parameter drawn at random (LayerNorm scales around 1, biases and
   * shifts nonzero), so that no gradient term vanishes by initialisation.
   */
  static BertClassifier randomised(NDManager manager, BertConfig config, long seed) {
    BertClassifier model = new BertClassifier(config);
    model.initialize(manager);
    randomise(model, seed);
    return model;
  }

  static void randomise(BertClassifier model, long seed) {
    Random random = new Random(seed);
    for (Map.Entry<String, Parameter> p : model.huggingFaceParameters().entrySet()) {
      NDArray array = p.getValue().getArray();
      float[] values = new float[Math.toIntExact(array.size())];
      boolean scale = p.getKey().endsWith("LayerNorm.weight");
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) ((scale ? 1 : 0) + 0.2 * random.nextGaussian());
      }
      array.set(values);
    }
  }

  /**
   * A padded batch of sentence pairs: example i has {@code lengths[i]} real tokens, [CLS] first,
   * the first half segment 0 and the rest segment 1. Padding positions hold random token and type
   * ids (mask 0), so any leak of padding into the result shows.
   */
  static NDList batch(NDManager manager, BertConfig config, int[] lengths, int padTo, long seed) {
    Random random = new Random(seed);
    int b = lengths.length;
    long[] ids = new long[b * padTo];
    long[] types = new long[b * padTo];
    long[] mask = new long[b * padTo];
    for (int i = 0; i < b; i++) {
      int split = Math.max(1, (lengths[i] + 1) / 2);
      for (int t = 0; t < padTo; t++) {
        int k = i * padTo + t;
        boolean real = t < lengths[i];
        ids[k] = real && t == 0 ? CLS : 2 + random.nextInt(config.vocabSize() - 2);
        types[k] = real ? (t < split ? 0 : 1) : random.nextInt(config.typeVocabSize());
        mask[k] = real ? 1 : 0;
      }
    }
    Shape shape = new Shape(b, padTo);
    return new NDList(
        manager.create(ids, shape), manager.create(types, shape), manager.create(mask, shape));
  }

  /** Labels {@code (B)} as float class indices, what the stiffness engine's loss takes. */
  static NDArray labels(NDManager manager, int count, int classes, long seed) {
    Random random = new Random(seed);
    float[] labels = new float[count];
    for (int i = 0; i < count; i++) {
      labels[i] = random.nextInt(classes);
    }
    return manager.create(labels);
  }

  /** A copy of the model's parameters in float64, for finite differences. */
  static BertClassifier inFloat64(NDManager manager, BertClassifier model) {
    BertClassifier copy = new BertClassifier(model.config());
    copy.initialize(manager, DataType.FLOAT64, BertClassifier.inputShapes(1));
    Map<String, Parameter> target = copy.huggingFaceParameters();
    for (Map.Entry<String, Parameter> p : model.huggingFaceParameters().entrySet()) {
      float[] values = p.getValue().getArray().toFloatArray();
      double[] widened = new double[values.length];
      for (int i = 0; i < values.length; i++) {
        widened[i] = values[i];
      }
      target.get(p.getKey()).getArray().set(widened);
    }
    return copy;
  }
}
