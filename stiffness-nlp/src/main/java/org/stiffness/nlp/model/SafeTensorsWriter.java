package org.stiffness.nlp.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.stiffness.io.AtomicFiles;

/**
 * Writes float32 tensors as a {@code .safetensors} file in the layout of the reference
 * implementation: header padded with spaces to a multiple of 8 bytes so that the data is aligned,
 * tensors stored back to back in the given order, {@code "__metadata__": {"format": "pt"}}.
 */
public final class SafeTensorsWriter {
  private SafeTensorsWriter() {}

  /**
   * A float32 tensor.
   *
   * @param shape its shape
   * @param values row-major values; as many as the shape holds
   */
  public record Tensor(long[] shape, float[] values) {
    /**
     * @throws IllegalArgumentException when the values do not fill the shape
     */
    public Tensor {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n != values.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " holds " + n + " values, got " + values.length);
      }
    }
  }

  /** Writes the tensors (name to tensor, in map order) atomically to {@code file}. */
  public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode header = mapper.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      ObjectNode node = header.putObject(entry.getKey());
      node.put("dtype", "F32");
      var shape = node.putArray("shape");
      for (long d : entry.getValue().shape()) {
        shape.add(d);
      }
      long bytes = 4L * entry.getValue().values().length;
      node.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = mapper.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    AtomicFiles.writeStream(
        file,
        stream -> {
          OutputStream out = new BufferedOutputStream(stream, 1 << 16);
          writeBody(out, json, padded, tensors);
          out.flush();
        });
  }

  private static void writeBody(
      OutputStream out, byte[] json, int padded, Map<String, Tensor> tensors) throws IOException {
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
    out.write(json);
    for (int i = json.length; i < padded; i++) {
      out.write(' ');
    }
    for (Tensor tensor : tensors.values()) {
      ByteBuffer data =
          ByteBuffer.allocate(4 * tensor.values().length).order(ByteOrder.LITTLE_ENDIAN);
      data.asFloatBuffer().put(tensor.values());
      out.write(data.array());
    }
  }
}
