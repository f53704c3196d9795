package org.stiffness.experiments;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.stiffness.gradients.Examples;
import org.stiffness.io.AtomicFiles;
import org.stiffness.io.JsonSummary;

/**
 * What a numpy or PyTorch user needs to reproduce every number of a measurement: the measured
 * subsets exactly as fed to the model, the frozen parameters at each checkpoint ({@code .npz},
 * which {@code numpy.load} reads) and the architecture ({@code JSON}).
 */
public final class Export {
  private Export() {}

  /**
   * For each set {@code s}: {@code s_inputs} (for a model with several inputs {@code s_<name>} by
   * the arrays' names, e.g. {@code s_input_ids}, {@code s_token_type_ids}, {@code
   * s_attention_mask}, else {@code s_inputs_0, s_inputs_1, ...} in model order), {@code s_labels},
   * {@code s_ids} and for each extra grouping {@code g} {@code s_group_g} (int32 group index per
   * example): inputs with their model shape (e.g. {@code (N, C, H, W)}), ids as used for self-pair
   * exclusion.
   */
  public static void subsets(Path file, List<MeasuredSet> sets) throws IOException {
    // On the host, named: newBaseManager() without a device would be gpu0 on a CUDA build,
    // whatever device the measurement runs on; files are written from host memory anyway.
    try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
      NDList arrays = new NDList();
      for (MeasuredSet measured : sets) {
        Examples set = measured.examples();
        String prefix = set.name();
        NDList inputs = set.inputs();
        List<String> names = inputNames(inputs);
        for (int k = 0; k < inputs.size(); k++) {
          String name = prefix + "_" + names.get(k);
          arrays.add(named(inputs.get(k).toDevice(scratch.getDevice(), true), name, scratch));
        }
        arrays.add(
            named(set.labels().toDevice(scratch.getDevice(), true), prefix + "_labels", scratch));
        arrays.add(named(scratch.create(set.ids()), prefix + "_ids", scratch));
        for (var g : new TreeMap<>(measured.groups()).entrySet()) {
          arrays.add(named(scratch.create(g.getValue()), prefix + "_group_" + g.getKey(), scratch));
        }
      }
      writeNpz(file, arrays);
    }
  }

  /**
   * The names the inputs of a set are stored under after {@code <set>_}: {@code inputs} for a
   * single input, else each array's own name ({@code input_ids}, ...) or {@code inputs_<k>}.
   */
  static List<String> inputNames(NDList inputs) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < inputs.size(); k++) {
      String own = inputs.get(k).getName();
      out.add(inputs.size() == 1 ? "inputs" : (own == null || own.isEmpty() ? "inputs_" + k : own));
    }
    return out;
  }

  /** Every parameter of the model under its DJL name (for example {@code 01Linear_weight}). */
  public static void parameters(Path file, Block model) throws IOException {
    try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
      NDList arrays = new NDList();
      for (var parameter : model.getParameters()) {
        NDArray copy = parameter.getValue().getArray().toDevice(scratch.getDevice(), true);
        arrays.add(named(copy, parameter.getKey(), scratch));
      }
      writeNpz(file, arrays);
    }
  }

  /**
   * The block tree with each parameter's name and shape, and the example shape.
   *
   * @param description what the model is, e.g. {@code fc}
   */
  public static void architecture(Path file, Block model, Examples train, String description)
      throws IOException {
    ObjectNode root = JsonSummary.mapper().createObjectNode();
    root.put("model", description);
    ArrayNode example = root.putArray("example_shape");
    for (long d : train.inputs().head().getShape().slice(1).getShape()) {
      example.add(d);
    }
    ArrayNode inputs = root.putArray("input_shapes");
    for (var input : train.inputs()) {
      ArrayNode shape = inputs.addArray();
      for (long d : input.getShape().slice(1).getShape()) {
        shape.add(d);
      }
    }
    root.put("block", model.toString());
    ArrayNode parameters = root.putArray("parameters");
    for (var parameter : model.getParameters()) {
      ObjectNode p = parameters.addObject();
      p.put("name", parameter.getKey());
      p.put("trainable", parameter.getValue().requiresGradient());
      ArrayNode shape = p.putArray("shape");
      for (long d : parameter.getValue().getArray().getShape().getShape()) {
        shape.add(d);
      }
    }
    JsonSummary.write(file, root);
  }

  private static NDArray named(NDArray array, String name, NDManager owner) {
    array.attach(owner);
    array.setName(name);
    return array;
  }

  private static void writeNpz(Path file, NDList arrays) throws IOException {
    AtomicFiles.writeStream(file, out -> arrays.encode(out, NDList.Encoding.NPZ));
  }
}
