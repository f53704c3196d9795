package org.stiffness.device;

import com.sun.jna.Library;

/**
 * The few functions of the CUDA runtime API ({@code libcudart}) this project calls, bound by JNA.
 * Every one returns a {@code cudaError_t}, 0 on success.
 */
interface CudartLibrary extends Library {
  /** {@code cudaDevAttrComputeCapabilityMajor}. */
  int ATTRIBUTE_CAPABILITY_MAJOR = 75;

  /** {@code cudaDevAttrComputeCapabilityMinor}. */
  int ATTRIBUTE_CAPABILITY_MINOR = 76;

  int cudaGetDeviceCount(int[] count);

  int cudaRuntimeGetVersion(int[] version);

  int cudaDriverGetVersion(int[] version);

  int cudaGetDevice(int[] device);

  int cudaSetDevice(int device);

  int cudaMemGetInfo(long[] free, long[] total);

  int cudaDeviceGetAttribute(int[] value, int attribute, int device);

  String cudaGetErrorString(int error);
}
