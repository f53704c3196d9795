package org.stiffness.cli;

import ai.djl.Device;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stiffness.gram.MemoryBudget;
import org.stiffness.gram.Precision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters whose messages name the bad value and what would have been accepted. */
final class Converters {
  private Converters() {}

  /** {@code fc} or {@code cnn}. */
  static final class Model implements ITypeConverter<ModelKind> {
    @Override
    public ModelKind convert(String value) {
      return wrap(() -> ModelKind.parse(value));
    }
  }

  /** A model the bench command times. */
  static final class Bench implements ITypeConverter<BenchModel> {
    @Override
    public BenchModel convert(String value) {
      return wrap(() -> BenchModel.parse(value));
    }
  }

  /** {@code generic}, {@code probe} or {@code all}. */
  static final class Paths implements ITypeConverter<PathChoice> {
    @Override
    public PathChoice convert(String value) {
      return wrap(() -> PathChoice.parse(value));
    }
  }

  /** {@code fp32} or {@code fp16}. */
  static final class PrecisionName implements ITypeConverter<Precision> {
    @Override
    public Precision convert(String value) {
      return wrap(() -> Precision.parse(value.trim()));
    }
  }

  /** A byte size such as {@code 2g}, {@code 512m} or {@code 1048576}. */
  static final class ByteSize implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return wrap(() -> MemoryBudget.parse(value));
    }
  }

  /** A positive, finite learning rate such as {@code 1e-3} or {@code 0.01}. */
  static final class LearningRate implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double lr;
      try {
        lr = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "learning rate '" + value + "' is not a number: expected for example 1e-3");
      }
      if (!(lr > 0) || Double.isInfinite(lr)) {
        throw new TypeConversionException(
            "learning rate '" + value + "' must be a positive finite number");
      }
      return lr;
    }
  }

  /**
   * {@code cpu}, {@code gpu} (= gpu0), {@code gpuN}, {@code gpu:N} or {@code cuda:N}. Whether the
   * GPU exists is checked when the engine is loaded, not here, so that {@code --help} stays fast.
   */
  static final class DeviceName implements ITypeConverter<Device> {
    private static final Pattern GPU = Pattern.compile("(?:gpu|cuda)(?::?(\\d+))?");

    @Override
    public Device convert(String value) {
      String text = value.trim().toLowerCase(Locale.ROOT);
      if (text.equals("cpu")) {
        return Device.cpu();
      }
      Matcher m = GPU.matcher(text);
      if (m.matches()) {
        try {
          return Device.gpu(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
        } catch (NumberFormatException e) {
          // an id too large for an int: fall through to the error below
        }
      }
      throw new TypeConversionException(
          "unknown device '" + value + "': expected cpu, gpu or gpuN (for example gpu0)");
    }
  }

  /**
   * Any path option. A name the locale's character set cannot hold (LANG=C and a non-ASCII name)
   * would otherwise fail deep inside a command with Java's "Malformed input" and the name shown as
   * "??": here it is one line naming the cause and the fix.
   */
  static final class FilePath implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      try {
        return Path.of(value);
      } catch (InvalidPathException e) {
        throw new TypeConversionException(
            "'"
                + value
                + "' cannot be a file name in this locale's character set ("
                + System.getProperty("sun.jnu.encoding")
                + "): set LANG to a UTF-8 locale, for example LANG=C.UTF-8");
      }
    }
  }

  private interface Parse<T> {
    T get();
  }

  private static <T> T wrap(Parse<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
