/**
 * The CUDA runtime of this process, found where a user's installation has it and loaded by its path
 * ({@link org.stiffness.device.CudaRuntime}): the GPU count, memory and versions that device checks
 * and memory budgets need. DJL's own {@code CudaUtils} loads {@code libcudart} by its bare name
 * only, which misses pip's and libtorch's copies ({@link org.stiffness.device.CudaRuntimeSearch}
 * says where this one looks).
 */
package org.stiffness.device;
