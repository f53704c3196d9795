package org.stiffness.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DJL 0.36's {@code Adam} (betas 0.9 and 0.999, epsilon 1e-8, no weight decay, a fixed learning
 * rate), step for step the same arithmetic and the same fused engine kernel, with its state in
 * fields that can be saved: the first and second moments of every parameter and the update counts.
 * {@code ResumableAdamTest} checks it against DJL's own Adam bit for bit.
 */
final class ResumableAdam implements ResumableOptimizer {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final float learningRate;
  private final Map<String, NDArray> means = new LinkedHashMap<>();
  private final Map<String, NDArray> variances = new LinkedHashMap<>();
  private final Map<String, Integer> updateCounts = new HashMap<>();

  /** DJL's Adam bias-corrects with the largest update count of any parameter so far. */
  private int numUpdate;

  ResumableAdam(double learningRate) {
    this.learningRate = (float) learningRate;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray gradient) {
    int t = Math.max(numUpdate, updateCounts.merge(parameterId, 1, Integer::sum));
    numUpdate = t;
    // The same expressions in the same precisions as DJL's Adam.update: float betas widened to
    // double, the correction rounded to float once.
    double correction1 = 1.0 - Math.pow(BETA1, t);
    double correction2 = 1.0 - Math.pow(BETA2, t);
    float corrected = (float) (learningRate * Math.sqrt(correction2) / correction1);
    NDArray mean = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
    NDArray variance = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
    weight
        .getNDArrayInternal()
        .adamUpdate(
            new NDList(weight, gradient, mean, variance),
            new NDList(weight),
            learningRate,
            corrected,
            0f,
            1f,
            -1f,
            BETA1,
            BETA2,
            EPSILON,
            true,
            false);
  }

  @Override
  public void write(DataOutputStream out) throws IOException {
    out.writeInt(numUpdate);
    out.writeInt(means.size());
    for (Map.Entry<String, NDArray> e : means.entrySet()) {
      String id = e.getKey();
      out.writeUTF(id);
      out.writeInt(updateCounts.getOrDefault(id, 0));
      writeArray(out, e.getValue());
      writeArray(out, variances.get(id));
    }
  }

  @Override
  public void read(DataInputStream in, NDManager manager) throws IOException {
    means.values().forEach(NDArray::close);
    variances.values().forEach(NDArray::close);
    means.clear();
    variances.clear();
    updateCounts.clear();
    numUpdate = in.readInt();
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("Adam state: " + n + " parameters");
    }
    for (int i = 0; i < n; i++) {
      String id = in.readUTF();
      updateCounts.put(id, in.readInt());
      means.put(id, readArray(in, manager));
      variances.put(id, readArray(in, manager));
    }
  }

  private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
    byte[] bytes = array.encode();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("Adam state: an array of " + length + " bytes");
    }
    return NDArray.decode(manager, in.readNBytes(length));
  }
}
