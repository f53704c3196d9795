package org.stiffness;

/** How per-example gradients are computed. */
public enum GradientMethod {
  /** The probe extractor when every trainable layer has a rule, else the batch-of-one loop. */
  AUTO,
  /** Batched probes with per-layer rules; fails if a trainable layer has no rule. */
  PROBE,
  /** One forward/backward pass per example; works for any block. */
  GENERIC;

  /** Parses "auto" / "probe" / "generic" (case-insensitive). */
  public static GradientMethod parse(String text) {
    for (GradientMethod method : values()) {
      if (method.name().equalsIgnoreCase(text)) {
        return method;
      }
    }
    throw new IllegalArgumentException(
        "unknown gradient method '" + text + "': expected auto, probe or generic");
  }
}
