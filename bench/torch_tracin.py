#!/usr/bin/env python3
"""TracInCP with PyTorch, as a PyTorch user would write it, on the checkpoints of an
`./stiffness influence --export` run: the PyTorch side of docs/measurements.md's influence figures.

    TracIn(z, z') = sum_k w_k g_k(z) . g_k(z')

over the run's checkpoints k (their weights w_k from influence.json), for the first --train
training and --test test examples of the run's subsets (export/subsets.npz, the inputs as fed),
with the loss the run trained on (softmax cross-entropy of each example on its label as trained).

Two ways, each timed end to end (gradients, products and the top-k lists), after an untimed
warm-up on a few examples:

- factorised: for the fc model only (784-500-300-100-10 ReLU). Each dense layer's per-example
  gradient is an outer product of its input a (with a 1 for the bias) and the loss's gradient b at
  its output, so g(z) . g(z') = sum_l (a_l . a'_l + 1) (b_l . b'_l) without a per-example gradient:
  the same identity the engine uses. Training rows go in chunks of --chunk examples; each chunk's
  scores against every test example are summed over checkpoints, then merged into running top-k
  lists (torch.topk), so the N x M matrix is never held whole.
- vmap: per-example gradients of every parameter by vmap(grad) (torch.func on torch >= 2,
  functorch on torch 1.13), flattened to N x P and M x P matrices per chunk, then products: what
  Captum's TracInCP does with all layers. Holds --chunk x P plus M x P floats per checkpoint.

Prints one JSON object: the sizes, each way's seconds, and each way's agreement with the run's own
files where they cover the same examples: self-influence of the first --train examples against
self_influence.npy (always), and, when --train and --test are the run's whole sets, the
proponent and opponent lists and scores against proponents.npy, opponents.npy and their scores
(lists compared as sets of indices, since scores within float32 rounding may order differently).

Usage: torch_tracin.py RUN_DIR [--train N] [--test M] [--way factorised|vmap|both] [--top-k K]
                       [--chunk C] [--threads T]
Works with Debian's python3-torch 1.13 and with torch 2.x, on the CPU, in float32.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

try:  # torch >= 2.0
    from torch.func import functional_call, grad, vmap

    VMAP = "torch.func"
except ImportError:  # torch 1.13: functorch
    try:
        from functorch import grad, make_functional, vmap

        VMAP = "functorch"
    except ImportError:
        VMAP = None


def fail(message):
    print("torch_tracin.py: " + message, file=sys.stderr)
    sys.exit(2)


def load_run(run, n, m):
    """The run's checkpoints (name, weight, dense layers as (W, b)), inputs and labels."""
    settings_path = os.path.join(run, "influence.json")
    subsets_path = os.path.join(run, "export", "subsets.npz")
    for path in (settings_path, subsets_path):
        if not os.path.exists(path):
            fail(path + " is missing: run ./stiffness influence with --export")
    with open(settings_path) as f:
        settings = json.load(f)
    if settings["settings"]["model"] != "fc":
        fail(settings_path + ": model is " + settings["settings"]["model"] + ", expected fc")
    if settings["settings"].get("layers"):
        fail(settings_path + ": the run restricted --layers; this script takes every parameter")
    subsets = np.load(subsets_path)
    x = torch.from_numpy(subsets["train_inputs"]).reshape(len(subsets["train_inputs"]), -1)
    y = torch.from_numpy(subsets["train_labels"].astype(np.int64))
    xt = torch.from_numpy(subsets["test_inputs"]).reshape(len(subsets["test_inputs"]), -1)
    yt = torch.from_numpy(subsets["test_labels"].astype(np.int64))
    n = len(x) if n == 0 else n
    m = len(xt) if m == 0 else m
    if n > len(x) or m > len(xt):
        fail("--train %d / --test %d: the run has %d / %d" % (n, m, len(x), len(xt)))
    checkpoints = []
    for c in settings["checkpoints"]:
        path = os.path.join(run, "checkpoints", c["name"], "parameters.npz")
        if not os.path.exists(path):
            fail(path + " is missing: run ./stiffness influence with --export")
        p = np.load(path)
        names = sorted({k.rsplit("_", 1)[0] for k in p.files})  # "02Linear", "04Linear", ...
        # requires_grad so that the layers' outputs have gradients (factorised);
        # vmap(grad) takes the values as they are.
        layers = [(torch.from_numpy(p[k + "_weight"]).requires_grad_(),
                   torch.from_numpy(p[k + "_bias"]).requires_grad_()) for k in names]
        checkpoints.append((c["name"], float(c["weight"]), layers))
    full = n == len(x) and m == len(xt)
    return checkpoints, x[:n], y[:n], xt[:m], yt[:m], full


def forward(layers, x):
    """Logits, and each dense layer's input and output (the outputs kept for their gradients)."""
    inputs, outputs = [], []
    h = x
    for i, (w, b) in enumerate(layers):
        inputs.append(h)
        z = h @ w.t() + b
        z.retain_grad()
        outputs.append(z)
        h = torch.relu(z) if i < len(layers) - 1 else z
    return h, inputs, outputs


def factors(layers, x, y):
    """Per layer, a = [input, 1] and b = dloss/doutput, one row per example."""
    logits, inputs, outputs = forward(layers, x)
    F.cross_entropy(logits, y, reduction="sum").backward()
    ones = torch.ones(len(x), 1)
    return [(torch.cat([a.detach(), ones], 1), z.grad.detach()) for a, z in zip(inputs, outputs)]


def merge_top(best, best_idx, scores, idx, k, largest):
    """Running top-k along dim 0: (k', M) scores and training indices, ties by smaller index."""
    if best is not None:
        scores = torch.cat([best, scores], 0)
        idx = torch.cat([best_idx, idx], 0)
    # Sort by index first, then a stable sort by score keeps the smaller index first among ties.
    by_index = torch.argsort(idx, 0)
    scores = torch.gather(scores, 0, by_index)
    idx = torch.gather(idx, 0, by_index)
    order = torch.sort(scores, stable=True, dim=0, descending=largest).indices[:k]
    return torch.gather(scores, 0, order), torch.gather(idx, 0, order)


def tracin(checkpoints, x, y, xt, yt, k, chunk, scores_of):
    """Self-influence, and top-k proponents and opponents per test example, chunk by chunk."""
    n, m = len(x), len(xt)
    k = min(k, n)
    test = [scores_of.prepare(layers, xt, yt) for _, _, layers in checkpoints]
    self_influence = torch.zeros(n, dtype=torch.float64)
    pro = pro_idx = opp = opp_idx = None
    for r0 in range(0, n, chunk):
        r1 = min(n, r0 + chunk)
        block = torch.zeros(r1 - r0, m, dtype=torch.float32)
        for (_, weight, layers), t in zip(checkpoints, test):
            train = scores_of.prepare(layers, x[r0:r1], y[r0:r1])
            block += weight * scores_of.products(train, t)
            self_influence[r0:r1] += weight * scores_of.squared_norms(train).double()
        for largest in (True, False):
            # The chunk's own top k first (torch.topk), then merged with the lists so far.
            top = torch.topk(block, min(k, r1 - r0), dim=0, largest=largest)
            if largest:
                pro, pro_idx = merge_top(pro, pro_idx, top.values, top.indices + r0, k, True)
            else:
                opp, opp_idx = merge_top(opp, opp_idx, top.values, top.indices + r0, k, False)
    return self_influence, pro.t(), pro_idx.t(), opp.t(), opp_idx.t()


class Factorised:
    @staticmethod
    def prepare(layers, x, y):
        return factors(layers, x, y)

    @staticmethod
    def products(a, b):
        return sum((ai @ aj.t()) * (bi @ bj.t()) for (ai, bi), (aj, bj) in zip(a, b))

    @staticmethod
    def squared_norms(a):
        return sum((ai * ai).sum(1) * (bi * bi).sum(1) for ai, bi in a)


class PerExample:
    """vmap(grad) per-example gradients of every parameter, flattened: Captum's TracInCP."""

    def __init__(self, width):
        self.width = width

    @staticmethod
    def loss(params, x, y):
        h = x.unsqueeze(0)
        for i in range(0, len(params), 2):
            h = h @ params[i].t() + params[i + 1]
            if i < len(params) - 2:
                h = torch.relu(h)
        return F.cross_entropy(h, y.unsqueeze(0), reduction="sum")

    def prepare(self, layers, x, y):
        params = tuple(t.detach() for wb in layers for t in wb)
        per_example = vmap(grad(PerExample.loss), in_dims=(None, 0, 0))
        rows = []
        for c0 in range(0, len(x), self.width):
            g = per_example(params, x[c0:c0 + self.width], y[c0:c0 + self.width])
            rows.append(torch.cat([t.reshape(t.shape[0], -1) for t in g], 1))
        return torch.cat(rows, 0)

    @staticmethod
    def products(a, b):
        return a @ b.t()

    @staticmethod
    def squared_norms(a):
        return (a * a).sum(1)


def agreement(run, full, n, self_influence, pro, pro_idx, opp, opp_idx):
    ours = np.load(os.path.join(run, "self_influence.npy"))[:n]
    theirs = self_influence.numpy()
    result = {"self_influence_max_relative_difference":
              float(np.max(np.abs(theirs - ours) / np.maximum(np.abs(ours), 1e-30)))}
    if full:
        k = pro.shape[1]
        for name, idx, scores in (("proponents", pro_idx, pro), ("opponents", opp_idx, opp)):
            our_idx = np.load(os.path.join(run, name + ".npy"))[:, :k]
            our_scores = np.load(os.path.join(run, name + "_scores.npy"))[:, :k]
            same = [len(set(a) & set(b)) / k for a, b in zip(our_idx, idx.numpy())]
            result[name + "_same_share"] = float(np.mean(same))
            result[name + "_identical_lists"] = int(np.sum(np.all(our_idx == idx.numpy(), 1)))
            scale = np.maximum(np.abs(our_scores).max(1, keepdims=True), 1e-30)
            result[name + "_scores_max_difference_over_row_max"] = float(
                np.max(np.abs(our_scores - scores.numpy()) / scale))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", help="an ./stiffness influence --export output directory")
    parser.add_argument("--train", type=int, default=0, help="first N training examples (0: all)")
    parser.add_argument("--test", type=int, default=0, help="first M test examples (0: all)")
    parser.add_argument("--way", choices=["factorised", "vmap", "both"], default="both")
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--chunk", type=int, default=2048, help="training rows per chunk")
    parser.add_argument("--vmap-chunk", type=int, default=128, help="examples per vmap call")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    checkpoints, x, y, xt, yt, full = load_run(args.run, args.train, args.test)
    ways = ["factorised", "vmap"] if args.way == "both" else [args.way]
    if "vmap" in ways and VMAP is None:
        fail("--way vmap needs torch.func (torch >= 2) or functorch")
    out = {"run": args.run, "train": len(x), "test": len(xt), "checkpoints": len(checkpoints),
           "top_k": args.top_k, "threads": torch.get_num_threads(), "torch": torch.__version__,
           "vmap_library": VMAP}
    for way in ways:
        scores_of = Factorised() if way == "factorised" else PerExample(args.vmap_chunk)
        tracin(checkpoints, x[:8], y[:8], xt[:8], yt[:8], 2, 8, scores_of)  # warm-up
        start = time.perf_counter()
        result = tracin(checkpoints, x, y, xt, yt, args.top_k, args.chunk, scores_of)
        seconds = time.perf_counter() - start
        out[way] = {"seconds": seconds, "pairs_per_second": len(x) * len(xt) / seconds}
        out[way].update(agreement(args.run, full, len(x), *result))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
