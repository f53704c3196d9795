package org.stiffness.gradients.rules;

import java.lang.reflect.Field;

/**
 * Reads a part of a layer's configuration that DJL keeps in a non-public field (BatchNorm's channel
 * axis, LayerNorm's axes, ParallelBlock's combining function).
 *
 * <p>A DJL release that renames such a field, or a JVM that forbids the access, throws here; the
 * caller then reports the layer as unsupported (and the model falls back to the batch-of-one loop)
 * instead of guessing the value: a guessed axis gives wrong gradients without a word.
 *
 * @param <L> the layer type
 * @param <T> the field's value type (boxed for a primitive field)
 */
@FunctionalInterface
public interface LayerField<L, T> {

  /**
   * @return the field's value in this layer (null where the field holds null)
   * @throws ReflectiveOperationException when the value cannot be read
   */
  T read(L layer) throws ReflectiveOperationException;

  /**
   * A reader of the field {@code name} declared by {@code owner}, by reflection.
   *
   * @param type the value's type; a value of another type is a failure to read, not a cast error
   */
  static <L, T> LayerField<L, T> of(Class<L> owner, String name, Class<T> type) {
    return layer -> {
      Field field = owner.getDeclaredField(name);
      try {
        field.setAccessible(true);
        return type.cast(field.get(layer));
      } catch (RuntimeException e) {
        // InaccessibleObjectException, SecurityException, ClassCastException: the field exists but
        // is not the one the rule was written for, which is the same as not having it.
        throw new ReflectiveOperationException(
            owner.getSimpleName() + "." + name + " is not a readable " + type.getSimpleName(), e);
      }
    };
  }

  /** A failure to read, in one line for a fallback message ("NoSuchFieldException: axis"). */
  static String describe(ReflectiveOperationException failure) {
    String message = failure.getMessage();
    String type = failure.getClass().getSimpleName();
    return message == null ? type : type + ": " + message;
  }
}
