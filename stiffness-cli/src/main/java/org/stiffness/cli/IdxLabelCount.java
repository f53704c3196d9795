package org.stiffness.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stiffness.datasets.DatasetBytes;
import org.stiffness.datasets.IdxReader;

/**
 * How many training examples an MNIST-layout directory holds, from the header of its training
 * labels alone: {@code reproduce} sizes its experiments to the data before reading any image.
 */
final class IdxLabelCount {
  private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";

  private IdxLabelCount() {}

  /**
   * The example count of {@code dir/train-labels-idx1-ubyte} (or {@code .gz}), or -1 when it cannot
   * be read or is no IDX label file: the experiment's reader then says what is wrong.
   */
  static int train(Path dir) {
    for (Path file : new Path[] {dir.resolve(TRAIN_LABELS), dir.resolve(TRAIN_LABELS + ".gz")}) {
      if (Files.isRegularFile(file)) {
        try {
          byte[] bytes = DatasetBytes.read(file);
          if (bytes.length < 8) {
            return -1;
          }
          ByteBuffer header = ByteBuffer.wrap(bytes, 0, 8); // IDX is big-endian, as ByteBuffer
          return header.getInt() == IdxReader.LABELS_MAGIC ? header.getInt() : -1;
        } catch (IOException e) {
          return -1;
        }
      }
    }
    return -1;
  }
}
