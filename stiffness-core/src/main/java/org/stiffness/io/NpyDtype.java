package org.stiffness.io;

/** The numpy element types this project writes, with their {@code .npy} descriptors. */
public enum NpyDtype {
  /** Little-endian float32, {@code '<f4'}. */
  FLOAT32("<f4", 4),
  /** Little-endian float64, {@code '<f8'}. */
  FLOAT64("<f8", 8),
  /** int8, {@code '|i1'} (byte order irrelevant). */
  INT8("|i1", 1),
  /** Little-endian int64, {@code '<i8'}. */
  INT64("<i8", 8);

  private final String descr;
  private final int bytes;

  NpyDtype(String descr, int bytes) {
    this.descr = descr;
    this.bytes = bytes;
  }

  /** The {@code descr} string of the header, e.g. {@code <f4}. */
  public String descr() {
    return descr;
  }

  /** Size of one element in bytes. */
  public int bytes() {
    return bytes;
  }

  static NpyDtype fromDescr(String descr) {
    for (NpyDtype t : values()) {
      if (t.descr.equals(descr)) {
        return t;
      }
    }
    return null;
  }
}
