package org.stiffness.cli.bench;

/**
 * One timed run of the PyTorch script, as its JSON line reports it.
 *
 * @param torch {@code torch.__version__}
 * @param method how it made the Gram matrix ("factorised", "vmap+matmul (functorch)", ...)
 * @param device torch's device name
 * @param threads torch's intra-op threads during the run
 * @param seconds the whole computation: gradients, Gram and statistics
 * @param gradientSeconds per-example gradients and the Gram matrix
 * @param statisticsSeconds the statistics, input distances included
 * @param distanceSeconds the input distances
 * @param statistics the headline figures of the statistics
 */
public record TorchRun(
    String torch,
    String method,
    String device,
    int threads,
    double seconds,
    double gradientSeconds,
    double statisticsSeconds,
    double distanceSeconds,
    HeadlineStatistics statistics) {}
