package org.stiffness.nlp.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A safetensors file assembled byte by byte in the test, independent of {@link SafeTensorsWriter}:
 * header JSON written as text, no padding, tensors of any dtype from raw little-endian bytes.
 */
final class RawSafeTensors {
  private record Tensor(String name, String dtype, long[] shape, byte[] data) {}

  private final List<Tensor> tensors = new ArrayList<>();

  RawSafeTensors add(String name, String dtype, long[] shape, byte[] data) {
    tensors.add(new Tensor(name, dtype, shape, data));
    return this;
  }

  RawSafeTensors addF32(String name, long[] shape, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bytes.putFloat(v);
    }
    return add(name, "F32", shape, bytes.array());
  }

  /** 16-bit values (F16 or BF16 bit patterns) as little-endian bytes. */
  RawSafeTensors addHalf(String name, String dtype, long[] shape, short[] bits) {
    ByteBuffer bytes = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
    for (short b : bits) {
      bytes.putShort(b);
    }
    return add(name, dtype, shape, bytes.array());
  }

  void write(Path file) throws IOException {
    StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    long offset = 0;
    for (Tensor t : tensors) {
      header
          .append(",\"")
          .append(t.name())
          .append("\":{\"dtype\":\"")
          .append(t.dtype())
          .append("\",\"shape\":")
          .append(Arrays.toString(t.shape()).replace(" ", ""))
          .append(",\"data_offsets\":[")
          .append(offset)
          .append(',')
          .append(offset + t.data().length)
          .append("]}");
      offset += t.data().length;
    }
    header.append('}');
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + json.length + offset));
    out.order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json);
    for (Tensor t : tensors) {
      out.put(t.data());
    }
    Files.write(file, out.array());
  }
}
