package org.stiffness.nlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** F16 and BF16 bit patterns against their values worked out by hand from the formats. */
class HalfPrecisionTest {

  @Test
  void float16NormalSubnormalAndSpecialValues() {
    assertEquals(1.0f, HalfPrecision.float16ToFloat((short) 0x3C00));
    assertEquals(-2.0f, HalfPrecision.float16ToFloat((short) 0xC000));
    assertEquals(65504f, HalfPrecision.float16ToFloat((short) 0x7BFF)); // largest half
    assertEquals(0.333251953125f, HalfPrecision.float16ToFloat((short) 0x3555)); // 1365/4096
    assertEquals(0x1p-14f, HalfPrecision.float16ToFloat((short) 0x0400)); // smallest normal
    assertEquals(0x1p-24f, HalfPrecision.float16ToFloat((short) 0x0001)); // smallest subnormal
    assertEquals(-0x3ffp-24f, HalfPrecision.float16ToFloat((short) 0x83FF)); // largest subnormal
    assertEquals(-0.0f, HalfPrecision.float16ToFloat((short) 0x8000));
    assertEquals(Float.POSITIVE_INFINITY, HalfPrecision.float16ToFloat((short) 0x7C00));
    assertEquals(Float.NEGATIVE_INFINITY, HalfPrecision.float16ToFloat((short) 0xFC00));
    assertTrue(Float.isNaN(HalfPrecision.float16ToFloat((short) 0x7E00)));
  }

  @Test
  void bfloat16IsTheUpperHalfOfAFloat() {
    assertEquals(1.0f, HalfPrecision.bfloat16ToFloat((short) 0x3F80));
    assertEquals(3.140625f, HalfPrecision.bfloat16ToFloat((short) 0x4049)); // pi in bf16
    assertEquals(-0.5f, HalfPrecision.bfloat16ToFloat((short) 0xBF00));
    assertEquals(0x1p-133f, HalfPrecision.bfloat16ToFloat((short) 0x0001)); // smallest subnormal
    assertEquals(Float.NEGATIVE_INFINITY, HalfPrecision.bfloat16ToFloat((short) 0xFF80));
    assertTrue(Float.isNaN(HalfPrecision.bfloat16ToFloat((short) 0x7FC0)));
  }
}
