package org.stiffness.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The worker commands of {@code measure --devices d_0,...,d_(k-1)}: worker i runs {@code measure
 * --shard i/k --device d_i}. The shards partition the tiles whatever the devices, so the merged
 * result depends on the device type only, not on the count.
 */
final class DeviceShards {
  /** DJL's PyTorch engine reads its intra-op thread count from this property at start-up. */
  static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

  private DeviceShards() {}

  /**
   * One worker per device name; {@code measure} holds the options every worker shares (the
   * checkpoint, the directory and the plan).
   */
  static List<WorkerProcesses.Worker> workers(List<String> devices, List<String> measure) {
    int k = devices.size();
    List<String> properties = cpuThreads(devices);
    List<WorkerProcesses.Worker> workers = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      String shard = i + "/" + k;
      List<String> args = new ArrayList<>(measure);
      args.addAll(List.of("--shard", shard, "--device", devices.get(i)));
      boolean cpu = devices.get(i).equalsIgnoreCase("cpu");
      workers.add(
          new WorkerProcesses.Worker(
              "worker " + i + " (" + devices.get(i) + ", shard " + shard + ")",
              JavaCommand.stiffness(cpu ? properties : List.of(), args)));
    }
    return workers;
  }

  /**
   * CPU workers share the cores: each would otherwise start one libtorch thread per core, and k
   * workers would oversubscribe them k times. Left alone when the user chose a count.
   */
  private static List<String> cpuThreads(List<String> devices) {
    long cpuWorkers = devices.stream().filter(d -> d.equalsIgnoreCase("cpu")).count();
    if (cpuWorkers == 0
        || System.getProperty(THREADS_PROPERTY) != null
        || System.getenv("OMP_NUM_THREADS") != null) {
      return List.of();
    }
    long threads = Math.max(1, Runtime.getRuntime().availableProcessors() / cpuWorkers);
    return List.of("-D" + THREADS_PROPERTY + "=" + threads);
  }
}
