package org.stiffness.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.stiffness.gradients.Checkpoint;
import org.stiffness.gradients.Examples;
import org.stiffness.oracle.OracleNet;
import org.stiffness.testing.PaperShapedModels.Twin;

/**
 * The float64 batch-of-one oracle of TracInCP: per-example gradients of the plain-Java {@link
 * OracleNet} at each checkpoint's parameters, {@code K[i][j] = sum_k w_k g_k(x_i) . g_k(y_j)}, and
 * what the engine's result must be compared with (a full sort of K per test example).
 */
final class InfluenceOracle {
  private InfluenceOracle() {}

  /** A model, its checkpoints, and the oracle's per-example gradients at each checkpoint. */
  record Setup(Twin twin, List<Checkpoint> checkpoints, List<List<float[]>> values) {}

  /**
   * Checkpoints of the twin: seeded random parameter values (scaled to {@code scale}) snapshotted
   * from the DJL block; afterwards the block holds other random values, which the engine must not
   * use.
   */
  static Setup checkpoints(Twin twin, double[] weights, double scale, long seed) {
    Random random = new Random(seed);
    List<Checkpoint> checkpoints = new ArrayList<>();
    List<List<float[]>> values = new ArrayList<>();
    for (int c = 0; c <= weights.length; c++) {
      List<float[]> checkpoint = new ArrayList<>();
      for (var p : twin.block().getParameters()) {
        NDArray array = p.getValue().getArray();
        float[] v = new float[Math.toIntExact(array.size())];
        for (int e = 0; e < v.length; e++) {
          v[e] = (float) (scale * random.nextGaussian());
        }
        array.set(v);
        checkpoint.add(v);
      }
      if (c < weights.length) { // the last draw stays in the model, unused
        checkpoints.add(Checkpoint.snapshot("step=" + (c + 1) * 100, weights[c], twin.block()));
        values.add(checkpoint);
      }
    }
    return new Setup(twin, checkpoints, values);
  }

  /** Per-example gradients of the rows, per checkpoint: {@code [checkpoint][example][P]}. */
  static double[][][] gradients(Setup s, double[][] inputs, int[] labels) {
    OracleNet oracle = s.twin().oracle();
    double[][][] out = new double[s.values().size()][][];
    for (int c = 0; c < out.length; c++) {
      oracle.setParameters(s.values().get(c));
      out[c] = oracle.perExampleGradients(inputs, labels);
    }
    return out;
  }

  /** {@code K[i][j] = sum_k w_k g_k(x_i) . g_k(y_j)} in float64. */
  static double[][] kernel(double[] weights, double[][][] gx, double[][][] gy) {
    double[][] k = new double[gx[0].length][gy[0].length];
    for (int c = 0; c < weights.length; c++) {
      double w = (float) weights[c]; // the engine multiplies by the fp32 weight
      for (int i = 0; i < k.length; i++) {
        for (int j = 0; j < k[0].length; j++) {
          k[i][j] += w * OracleNet.dot(gx[c][i], gy[c][j]);
        }
      }
    }
    return k;
  }

  /** The diagonal {@code sum_k w_k |g_k(x_i)|^2}. */
  static double[] self(double[] weights, double[][][] g) {
    double[] s = new double[g[0].length];
    for (int c = 0; c < weights.length; c++) {
      for (int i = 0; i < s.length; i++) {
        s[i] += (float) weights[c] * OracleNet.dot(g[c][i], g[c][i]);
      }
    }
    return s;
  }

  /** Only the entries {@code [from, to)} of every gradient (a layer's parameters). */
  static double[][][] slice(double[][][] g, int from, int to) {
    double[][][] out = new double[g.length][g[0].length][];
    for (int c = 0; c < g.length; c++) {
      for (int i = 0; i < g[0].length; i++) {
        out[c][i] = Arrays.copyOfRange(g[c][i], from, to);
      }
    }
    return out;
  }

  /**
   * Training indices of column {@code j} of {@code k} under the result's order: by score (largest
   * first, or smallest first for opponents), then by the smaller index.
   */
  static Integer[] fullSort(double[][] k, int j, boolean largest) {
    Integer[] order = new Integer[k.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          double x = k[a][j];
          double y = k[b][j];
          if (x != y) {
            return largest ? Double.compare(y, x) : Double.compare(x, y);
          }
          return Integer.compare(a, b);
        });
    return order;
  }

  /**
   * Everything where the engine's result and the oracle disagree beyond rounding (empty when they
   * agree): list scores and members against a full sort of K, self-influence against its diagonal,
   * total influence against its row sums. {@code tolerance} is relative to {@code |g_i| |g_j|}.
   */
  static List<String> disagreements(
      InfluenceResult r, double[][] k, double[] selfRows, double[] selfCols, double tolerance) {
    List<String> problems = new ArrayList<>();
    int n = k.length;
    int m = k[0].length;
    if (r.trainSize() != n || r.testSize() != m) {
      problems.add("size " + r.trainSize() + " x " + r.testSize());
      return problems;
    }
    double largestRow = Arrays.stream(selfRows).map(Math::sqrt).max().orElse(0);
    for (int j = 0; j < m; j++) {
      double tol = tolerance * largestRow * Math.sqrt(selfCols[j]);
      for (boolean largest : new boolean[] {true, false}) {
        String kind = largest ? "proponent" : "opponent";
        int[] got = largest ? r.proponents(j) : r.opponents(j);
        float[] scores = largest ? r.proponentScores(j) : r.opponentScores(j);
        Integer[] expected = fullSort(k, j, largest);
        for (int rank = 0; rank < got.length; rank++) {
          double want = k[expected[rank]][j];
          double ofGot = k[got[rank]][j];
          if (Math.abs(scores[rank] - want) > tol || Math.abs(ofGot - scores[rank]) > tol) {
            problems.add(
                String.format(
                    "test %d %s %d: %d (%.9g, oracle %.9g), oracle's %d (%.9g)",
                    j, kind, rank, got[rank], scores[rank], ofGot, expected[rank], want));
          } else if (got[rank] != expected[rank] && Math.abs(ofGot - want) > 2 * tol) {
            problems.add("test " + j + " " + kind + " " + rank + ": index " + got[rank]);
          }
          // Equal fp32 scores (duplicated examples are often equal only to rounding): the smaller
          // index first. The tie rule itself is checked bitwise against the engine's own matrix.
          if (rank > 0 && scores[rank] == scores[rank - 1] && got[rank] < got[rank - 1]) {
            problems.add("test " + j + " " + kind + " " + rank + ": tie not broken by index");
          }
        }
      }
    }
    double[] self = r.selfInfluence();
    double[] total = r.totalInfluence();
    for (int i = 0; i < n; i++) {
      if (Math.abs(self[i] - selfRows[i]) > tolerance * selfRows[i]) {
        problems.add("self-influence " + i + ": " + self[i] + ", oracle " + selfRows[i]);
      }
      double sum = 0;
      double scale = 0;
      for (int j = 0; j < m; j++) {
        sum += k[i][j];
        scale += Math.sqrt(selfRows[i] * selfCols[j]);
      }
      if (Math.abs(total[i] - sum) > tolerance * scale) {
        problems.add("total influence " + i + ": " + total[i] + ", oracle " + sum);
      }
    }
    return problems;
  }

  /**
   * {@code Linear(8) -> ReLU -> [Linear(8) | identity] added -> ReLU -> Linear(classes)} on {@code
   * (in)}: a DJL {@link ParallelBlock} and its float64 twin.
   */
  static Twin residualMlp(NDManager manager, int in, int classes) {
    ParallelBlock residual =
        new ParallelBlock(
            list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
            List.of(Linear.builder().setUnits(8).build(), Blocks.identityBlock()));
    SequentialBlock block =
        new SequentialBlock()
            .add(Linear.builder().setUnits(8).build())
            .add(Activation::relu)
            .add(residual)
            .add(Activation::relu)
            .add(Linear.builder().setUnits(classes).build());
    block.initialize(manager, DataType.FLOAT32, new Shape(1, in));
    OracleNet oracle =
        OracleNet.builder(in).linear(8).relu().residualLinear().relu().linear(classes).build();
    return new Twin(block, oracle, new Shape(in));
  }

  /** Examples from float64 rows (rounded to fp32, as the oracle must then see them). */
  static Examples examples(
      NDManager manager, String name, Shape example, double[][] rows, int[] labels, long firstId) {
    int width = Math.toIntExact(example.size());
    float[] flat = new float[rows.length * width];
    float[] labelValues = new float[rows.length];
    long[] ids = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      for (int e = 0; e < width; e++) {
        flat[i * width + e] = (float) rows[i][e];
      }
      labelValues[i] = labels[i];
      ids[i] = firstId + i;
    }
    NDArray x = manager.create(flat, new Shape(rows.length).addAll(example));
    return Examples.of(name, new NDList(x), manager.create(labelValues), ids);
  }

  /** Rows {@code order[0], order[1], ...} of {@code rows} (repeats make duplicated examples). */
  static double[][] pick(double[][] rows, int[] order) {
    double[][] out = new double[order.length][];
    for (int i = 0; i < order.length; i++) {
      out[i] = rows[order[i]];
    }
    return out;
  }

  static int[] pick(int[] labels, int[] order) {
    int[] out = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      out[i] = labels[order[i]];
    }
    return out;
  }
}
