/**
 * {@code stiffness reproduce}: the paper's claims, a verdict on each from the summaries of the
 * experiments that the data at hand allows, and the files that report them ({@code
 * reproduction.json}, {@code reproduction.md}, {@code reproduction.html}). Every verdict is a
 * measured comparison with a stated threshold, judged from an experiment's files without running
 * anything.
 */
package org.stiffness.cli.reproduce;
