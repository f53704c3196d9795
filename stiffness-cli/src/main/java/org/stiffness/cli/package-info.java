/**
 * The {@code stiffness} command line: one picocli command class per subcommand ({@code demo},
 * {@code vision}, {@code nlp}, {@code measure}, {@code merge}, {@code slurm}, {@code bench}, {@code
 * compare}, {@code doctor}, {@code reproduce}) and the options, checks and output rules they share:
 * bad input is one line naming the option or file and what was expected, with a non-zero exit,
 * checked before anything is written. Commands parse, check and wire; the measuring, training and
 * reporting they call live in the library modules. Node checks ({@code doctor}: libtorch, the
 * native set-up, GPUs) and worker processes (shards across devices, Slurm jobs) are here too.
 */
package org.stiffness.cli;
