/**
 * Deterministic class-balanced subsets of a dataset, such as the fixed examples on which stiffness
 * is measured: the same indices on every run, machine and Java version, so that measurements of two
 * runs pair the same examples.
 */
package org.stiffness.datasets.subset;
