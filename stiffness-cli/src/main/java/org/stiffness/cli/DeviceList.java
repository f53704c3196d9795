package org.stiffness.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.TypeConversionException;

/**
 * The devices of {@code measure --devices}, one worker process each: {@code gpu0,gpu1} or {@code
 * cpu,cpu}. Names are kept as written, checked with the same rules as {@code --device}, because
 * each worker is given its name as its {@code --device}.
 */
final class DeviceList {
  private DeviceList() {}

  /**
   * Parses a comma-separated list.
   *
   * @throws IllegalArgumentException naming the list and the bad entry
   */
  static List<String> parse(String text) {
    List<String> names = new ArrayList<>();
    // -1 keeps trailing empty entries, so "gpu0," is refused rather than read as "gpu0".
    for (String part : text.split(",", -1)) {
      String name = part.trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(
            "--devices '"
                + text
                + "' has an empty entry: expected a comma-separated list such as gpu0,gpu1 or"
                + " cpu,cpu");
      }
      try {
        new Converters.DeviceName().convert(name);
      } catch (TypeConversionException e) {
        throw new IllegalArgumentException("--devices '" + text + "': " + e.getMessage(), e);
      }
      names.add(name);
    }
    return List.copyOf(names);
  }
}
