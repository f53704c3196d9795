package org.stiffness.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Locale;
import java.util.Random;
import org.stiffness.gradients.Examples;
import org.stiffness.nlp.model.BertClassifier;
import org.stiffness.nlp.model.BertConfig;
import org.stiffness.nlp.text.BagOfTokens;
import org.stiffness.stats.CosineTileDistances;
import org.stiffness.stats.TileDistances;

/**
 * A model the {@code bench} command times, with the random examples it is timed on: the paper's
 * vision models on Gaussian inputs, and BERT-style encoders on uniformly random token sequences.
 */
interface BenchModel {

  /** Name as typed on the command line. */
  String label();

  /** A model initialised under the engine's current random seed. */
  Block create(NDManager manager);

  /** {@code n} seeded random examples with labels, drawn on the host (device independent). */
  Examples examples(NDManager manager, int n, long seed);

  /** Number of classes of the labels. */
  int classes();

  /**
   * Bytes of one example's inputs on the host. All {@code n} examples' inputs are one Java array
   * and one native buffer, which hold at most {@link Integer#MAX_VALUE} bytes: the bound of {@code
   * --n}.
   */
  long inputBytesPerExample();

  /**
   * The input distance the measurements of this kind of model use (cosine of the inputs for images,
   * bag of tokens for text), between the examples and themselves.
   */
  TileDistances distances(Examples examples, NDManager owner);

  /** {@code fc}, {@code cnn}, {@code resnet20}, {@code bert-tiny} or {@code bert-mini}. */
  static BenchModel parse(String text) {
    String name = text.trim().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "bert-tiny" -> new Bert(name, BertConfig.tiny(), 128);
      case "bert-mini" -> new Bert(name, BertConfig.mini(), 128);
      default -> {
        try {
          yield new Vision(ModelKind.parse(name));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "unknown model '" + text + "': expected fc, cnn, resnet20, bert-tiny or bert-mini");
        }
      }
    };
  }

  /** A paper vision model with 10 classes on standard normal inputs. */
  record Vision(ModelKind kind) implements BenchModel {
    private static final int CLASSES = 10;

    @Override
    public String label() {
      return kind.label();
    }

    @Override
    public Block create(NDManager manager) {
      Block block = kind.build(CLASSES);
      block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(kind.exampleShape()));
      return block;
    }

    @Override
    public Examples examples(NDManager manager, int n, long seed) {
      Random random = new Random(seed);
      int width = Math.toIntExact(kind.exampleShape().size());
      float[] inputs = new float[Math.multiplyExact(n, width)];
      for (int i = 0; i < inputs.length; i++) {
        inputs[i] = (float) random.nextGaussian();
      }
      float[] labels = new float[n];
      for (int i = 0; i < n; i++) {
        labels[i] = random.nextInt(CLASSES);
      }
      NDArray x = manager.create(inputs, new Shape(n).addAll(kind.exampleShape()));
      return Examples.of(x, manager.create(labels));
    }

    @Override
    public int classes() {
      return CLASSES;
    }

    @Override
    public long inputBytesPerExample() {
      return Float.BYTES * kind.exampleShape().size();
    }

    @Override
    public TileDistances distances(Examples examples, NDManager owner) {
      float[] x = examples.flattenedInputs();
      int n = examples.size();
      return new CosineTileDistances(x, n, x, n, examples.inputWidth(), owner);
    }
  }

  /**
   * A BERT-style classifier (3 labels, BERT's 30522-token vocabulary) on full-length sequences of
   * {@code length} random tokens, the second half in segment 1: the shape of an MNLI batch padded
   * to its maximum length.
   */
  record Bert(String label, BertConfig config, int length) implements BenchModel {
    /** [PAD] [UNK] [CLS] [SEP] [MASK] and the unused tokens stay out of the random text. */
    private static final int FIRST_WORD = 1000;

    @Override
    public Block create(NDManager manager) {
      BertClassifier model = new BertClassifier(config);
      model.initialize(manager);
      return model;
    }

    @Override
    public long inputBytesPerExample() {
      return (long) Long.BYTES * length;
    }

    @Override
    public Examples examples(NDManager manager, int n, long seed) {
      Random random = new Random(seed);
      long[] ids = new long[Math.multiplyExact(n, length)];
      long[] types = new long[ids.length];
      long[] mask = new long[ids.length];
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < length; t++) {
          int k = i * length + t;
          ids[k] = FIRST_WORD + random.nextInt(config.vocabSize() - FIRST_WORD);
          types[k] = t < length / 2 ? 0 : 1;
          mask[k] = 1;
        }
      }
      float[] labels = new float[n];
      for (int i = 0; i < n; i++) {
        labels[i] = random.nextInt(config.labels());
      }
      Shape shape = new Shape(n, length);
      NDList inputs =
          new NDList(
              manager.create(ids, shape),
              manager.create(types, shape),
              manager.create(mask, shape));
      return Examples.of("examples", inputs, manager.create(labels), null);
    }

    @Override
    public int classes() {
      return config.labels();
    }

    @Override
    public TileDistances distances(Examples examples, NDManager owner) {
      int n = examples.size();
      BagOfTokens bags =
          BagOfTokens.of(
              examples.inputs().get(0).toLongArray(),
              examples.inputs().get(2).toLongArray(),
              n,
              length,
              new long[0]); // the random text holds no special token
      return BagOfTokens.tileDistances(bags, bags);
    }
  }
}
