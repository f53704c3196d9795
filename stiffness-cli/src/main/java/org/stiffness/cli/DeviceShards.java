package org.stiffness.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The worker commands of {@code measure --devices d_0,...,d_(k-1)}: worker i runs {@code measure
 * --shard i/k --device d_i}. The shards partition the tiles whatever the devices, so the merged
 * result depends on the device type only, not on the count.
 */
final class DeviceShards {
  private DeviceShards() {}

  /**
   * One worker per device name; {@code measure} holds the options every worker shares (the
   * checkpoint, the directory and the plan).
   */
  static List<WorkerProcesses.Worker> workers(List<String> devices, List<String> measure) {
    int k = devices.size();
    List<WorkerProcesses.Worker> workers = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      String shard = i + "/" + k;
      List<String> args = new ArrayList<>(measure);
      args.addAll(List.of("--shard", shard, "--device", devices.get(i)));
      // CPU workers keep libtorch's default thread count although they share the cores: the
      // kernels' blocking follows the thread count, and on an Intel Xeon 1 thread instead of 2
      // changed the tiles' last bits (norms by 1e-6 relative), so the merged result would depend
      // on the number of workers. With the same count the tiles are those of one process.
      workers.add(
          new WorkerProcesses.Worker(
              "worker " + i + " (" + devices.get(i) + ", shard " + shard + ")",
              JavaCommand.stiffness(args)));
    }
    return workers;
  }
}
