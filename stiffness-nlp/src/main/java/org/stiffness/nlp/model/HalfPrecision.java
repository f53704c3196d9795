package org.stiffness.nlp.model;

/**
 * IEEE 754 half precision (F16) and bfloat16 (BF16) to float, in Java: DJL 0.36 aborts the JVM on
 * BF16 arrays on the CPU, so checkpoints stored in either are widened before they reach DJL. Both
 * widen exactly (every F16 and BF16 value is a float).
 */
final class HalfPrecision {
  private HalfPrecision() {}

  /** The float of a bfloat16: its 16 bits are the upper half of a float's. */
  static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** The float of an IEEE half: 1 sign, 5 exponent (bias 15), 10 mantissa bits. */
  static float float16ToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) { // infinity or NaN: keep the payload
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) { // zero or subnormal: mantissa * 2^-24, exact in float
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }
}
