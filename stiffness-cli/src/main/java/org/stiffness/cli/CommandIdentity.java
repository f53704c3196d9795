package org.stiffness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.stiffness.io.JsonSummary;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command and the values of all its options (defaults included, {@code --out} left out), as text:
 * what an interrupted run records in its output directory, so that a rerun continues only when it
 * is the same command, and otherwise says which option differs.
 *
 * @param command the subcommand's name, e.g. {@code vision}
 * @param options option name to value, in the command's order
 */
record CommandIdentity(String command, Map<String, String> options) {

  CommandIdentity {
    Objects.requireNonNull(command, "command");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** The identity of the command {@code spec} describes, with its parsed values. */
  static CommandIdentity of(CommandSpec spec) {
    Map<String, String> options = new LinkedHashMap<>();
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp() || o.longestName().equals("--out")) {
        continue;
      }
      options.put(o.longestName(), text(o.getValue()));
    }
    return new CommandIdentity(spec.name(), options);
  }

  /** Paths as absolute paths: the same text from another directory names other files. */
  private static String text(Object value) {
    if (value instanceof Path p) {
      return p.toAbsolutePath().normalize().toString();
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(CommandIdentity::text).collect(Collectors.joining(",", "[", "]"));
    }
    return String.valueOf(value);
  }

  /**
   * The first difference between this command and {@code recorded}, as "--lr is 0.01 here, 0.001
   * there", or empty when they are the same.
   */
  Optional<String> difference(CommandIdentity recorded) {
    if (!command.equals(recorded.command)) {
      return Optional.of("it was made by stiffness " + recorded.command + ", not " + command);
    }
    Set<String> names = new LinkedHashSet<>(options.keySet());
    names.addAll(recorded.options.keySet());
    for (String name : names) {
      String here = options.get(name);
      String there = recorded.options.get(name);
      if (!Objects.equals(here, there)) {
        return Optional.of(name + " is " + shown(here) + " now, " + shown(there) + " there");
      }
    }
    return Optional.empty();
  }

  private static String shown(String value) {
    return value == null ? "not an option" : value;
  }

  JsonNode toJson() {
    ObjectNode root = JsonSummary.mapper().createObjectNode();
    root.put("command", command);
    ObjectNode o = root.putObject("options");
    options.forEach(o::put);
    return root;
  }

  /**
   * @throws IOException when {@code json} is not such a record
   */
  static CommandIdentity fromJson(JsonNode json) throws IOException {
    JsonNode command = json.path("command");
    JsonNode options = json.path("options");
    if (!command.isTextual() || !options.isObject()) {
      throw new IOException("not a command record (fields 'command' and 'options')");
    }
    Map<String, String> values = new LinkedHashMap<>();
    options.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
    return new CommandIdentity(command.asText(), values);
  }
}
