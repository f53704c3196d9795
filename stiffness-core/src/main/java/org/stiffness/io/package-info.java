/**
 * File formats the project reads and writes, with writes atomic (a reader sees the old file or the
 * whole new one, never a partial one): {@code .npy} arrays in the subset numpy reads and writes,
 * the square class matrices a summary names, JSON summaries with NaN written as {@code null},
 * strict readers of JSON files into records and fields, the class-groups text format, and SHA-256
 * checksums. Readers refuse a malformed file with one message naming the file, the field where
 * there is one, and what was expected. What belongs here is a file format; what a file means
 * belongs to the package that writes it.
 */
package org.stiffness.io;
