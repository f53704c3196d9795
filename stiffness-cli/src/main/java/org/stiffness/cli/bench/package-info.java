/**
 * {@code stiffness bench --against pytorch}: our measurement and a plain PyTorch script ({@code
 * bench/torch_stiffness.py}, shipped in the jar) on the same weights, inputs, device and threads,
 * timed alternately, with the headline statistics of both sides and the table or JSON that compares
 * them. The interpreter that runs the script is found by asking each candidate to import torch.
 */
package org.stiffness.cli.bench;
