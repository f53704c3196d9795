package org.stiffness.report;

import java.nio.file.Path;

/**
 * A written plot.
 *
 * @param file the PNG
 * @param section the report section it belongs to (e.g. "Class stiffness")
 * @param caption one line saying what it shows
 */
public record Figure(Path file, String section, String caption) {}
