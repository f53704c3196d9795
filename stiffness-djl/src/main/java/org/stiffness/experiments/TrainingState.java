package org.stiffness.experiments;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Objects;
import java.util.Random;

/**
 * Everything a run needs to continue from a step exactly as if it had not stopped: the parameters,
 * the optimiser's state, the shuffling generator and the permutation it last drew, and the batch
 * losses so far. Taken after the measurements of a step and before its batch is drawn.
 *
 * @param step optimiser steps taken
 * @param parameters the model's parameters ({@code Block.saveParameters})
 * @param optimizer the optimiser's state ({@link ResumableOptimizer#write})
 * @param random the shuffling generator, serialised ({@link Random} is {@link java.io.Serializable}
 *     and its seed is all its state)
 * @param order the permutation of the training set that the current epoch's batches come from
 * @param losses the mean batch loss of each step so far ({@code step} values)
 */
record TrainingState(
    long step, byte[] parameters, byte[] optimizer, byte[] random, int[] order, float[] losses) {

  TrainingState {
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(losses, "losses");
  }

  static byte[] serialise(Random random) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(random);
    } catch (IOException e) {
      throw new IllegalStateException("java.util.Random could not be serialised", e);
    }
    return bytes.toByteArray();
  }

  /** The generator {@link #random} holds. */
  Random restoreRandom() throws IOException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(random))) {
      Object o = in.readObject();
      if (!(o instanceof Random r) || o.getClass() != Random.class) {
        throw new IOException("the saved shuffling generator is not a java.util.Random");
      }
      return r;
    } catch (ClassNotFoundException e) {
      throw new IOException("the saved shuffling generator is not a java.util.Random", e);
    }
  }

  void write(DataOutputStream out) throws IOException {
    out.writeLong(step);
    writeBytes(out, parameters);
    writeBytes(out, optimizer);
    writeBytes(out, random);
    out.writeInt(order.length);
    for (int i : order) {
      out.writeInt(i);
    }
    out.writeInt(losses.length);
    for (float l : losses) {
      out.writeFloat(l);
    }
  }

  static TrainingState read(DataInputStream in) throws IOException {
    long step = in.readLong();
    byte[] parameters = readBytes(in);
    byte[] optimizer = readBytes(in);
    byte[] random = readBytes(in);
    int[] order = new int[length(in)];
    for (int i = 0; i < order.length; i++) {
      order[i] = in.readInt();
    }
    float[] losses = new float[length(in)];
    for (int i = 0; i < losses.length; i++) {
      losses[i] = in.readFloat();
    }
    return new TrainingState(step, parameters, optimizer, random, order, losses);
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = length(in);
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new IOException("training state: ends inside a field of " + n + " bytes");
    }
    return b;
  }

  private static int length(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("training state: a negative length " + n);
    }
    return n;
  }
}
