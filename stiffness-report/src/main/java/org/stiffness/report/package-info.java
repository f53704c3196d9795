/**
 * The report of an experiment, drawn from its {@code summary.json} and the matrices it names: the
 * paper's figures as PNGs (class heatmaps, stiffness vs distance, stiffness, coherence and
 * confusion over training), the critical length as text, and {@code report.html}, one
 * self-contained page with a glossary and a section per kind of figure. It reads only files an
 * experiment wrote, so a report can be made again without the engine; every file is written
 * atomically.
 */
package org.stiffness.report;
