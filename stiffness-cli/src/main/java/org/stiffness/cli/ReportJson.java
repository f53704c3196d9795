package org.stiffness.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;

/**
 * Writes the CLI's report records ({@link BenchReport}, {@link DoctorReport}) as one JSON object on
 * one line: snake_case names from the record components (an explicit {@code @JsonProperty} name is
 * kept), and file paths as the strings the text report prints (Jackson's default is a URI).
 */
final class ReportJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .registerModule(
              new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance));

  private ReportJson() {}

  /** {@code report} as one line of JSON. */
  static String oneLine(Object report) {
    try {
      return MAPPER.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the JSON report", e);
    }
  }
}
