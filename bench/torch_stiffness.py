#!/usr/bin/env python3
"""What `./stiffness bench` times, written with PyTorch as a PyTorch user would: the PyTorch side
of `./stiffness bench --against pytorch`, which runs it.

End to end, on N examples of one of the paper's models (fc: 784-500-300-100-10 ReLU net; cnn:
3x(conv3x3 pad 1, ReLU, maxpool2) with 16, 32, 32 channels + dense, both on 1x28x28; 10 classes):

1. per-example gradients of the softmax cross-entropy and the Gram matrix K = G G^T (N x N, float32):
   - fc: factorised per layer, K = sum_l (A_l A_l^T + 1) * (B_l B_l^T) with A_l the layer's inputs
     and B_l the loss's gradients at its outputs; no per-example gradient is materialised;
   - cnn: vmap(grad) over chunks of examples, then one matrix product (torch.func on torch >= 2,
     functorch on torch 1.13, where torch.func does not exist);
2. the statistics of every pair (i, j), self-pairs (i = j) and zero-gradient examples left out, as
   the bench reduces its tiles: cosine stiffness K_ij / (|g_i| |g_j|) in float64 clamped to [-1, 1]
   and stored as float32, sign stiffness sign(K_ij); their class-by-class sums and pair counts;
   float64 cosine distances of the inputs, 1 - x_i.x_j / (|x_i| |x_j|) clamped to [0, 2] and
   rounded to float32; 20 distance bins over [0, 2] (pair counts, sign and cosine sums, within
   class and over all pairs); the critical-length sums per row (n, sum d, sum y, sum d^2, sum d y,
   sum y^2 of the cosine y over within-class pairs and over all pairs) and the critical length xi
   from them (least squares y = y0 + slope d, xi = -y0 / slope, 200 bootstrap resamples of the
   rows for a 95 % interval).
   Rows go in chunks of about 2^20 pairs (--chunk): each chunk's N columns at once, vectorised.

Not done: the bench's count of pairs whose sign lies within the Gram's rounding-error bound (its
bound is the engine's own); the bootstrap draws from torch's generator, not the bench's, so the
interval (not the point estimate) differs from the bench's by sampling noise.

Inputs: --data DIR, written by `./stiffness bench --against pytorch` (manifest.json, the float32
inputs (N, D), the int64 labels and each parameter as .npy, in the model's parameter order), or
--model fc|cnn --n N --seed S for random standard normal inputs and uniform labels of our own.

Prints one JSON line on stdout: the times of each timed run (after an untimed warm-up on the first
min(N, 256) examples), in seconds, and the statistics' headline figures; --statistics-out FILE
writes every sum as JSON. Works with Debian's python3-torch 1.13 and with torch 2.x; float32,
--device cpu|cuda|cuda:K, --threads T (torch.set_num_threads).
"""
import argparse
import ast
import json
import math
import os
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = 10
BINS = 20
WINDOW = (0.0, 2.0)  # the critical length's distance window (all of [0, 2], the bench's default)
RESAMPLES = 200
CONFIDENCE = 0.95
MIN_PAIRS = 10
SHAPES = {"fc": (784,), "cnn": (1, 28, 28)}

try:  # torch >= 2.0
    from torch.func import functional_call, grad, vmap

    VMAP = "torch.func"
except ImportError:  # torch 1.13: functorch
    try:
        from functorch import grad, make_functional, vmap

        VMAP = "functorch"
    except ImportError:
        VMAP = None


def fc():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(784, 500), nn.ReLU(), nn.Linear(500, 300), nn.ReLU(),
        nn.Linear(300, 100), nn.ReLU(), nn.Linear(100, CLASSES))


def cnn():
    layers = []
    channels = 1
    for width in (16, 32, 32):
        layers += [nn.Conv2d(channels, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        channels = width
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(32 * 3 * 3, CLASSES))


def read_npy(path):
    """A version 1.0 little-endian .npy file as a tensor (no numpy needed)."""
    with open(path, "rb") as f:
        if f.read(6) != b"\x93NUMPY":
            raise SystemExit(f"torch_stiffness: {path}: not a .npy file")
        major, _ = f.read(2)
        size = struct.unpack("<H" if major == 1 else "<I", f.read(2 if major == 1 else 4))[0]
        header = ast.literal_eval(f.read(size).decode("latin1"))
        data = bytearray(f.read())
    dtypes = {"<f4": torch.float32, "<f8": torch.float64, "<i8": torch.int64}
    if header["descr"] not in dtypes or header["fortran_order"]:
        raise SystemExit(f"torch_stiffness: {path}: expected C-order <f4, <f8 or <i8, got {header}")
    return torch.frombuffer(data, dtype=dtypes[header["descr"]]).reshape(header["shape"])


def load(directory):
    """The model, inputs and labels the bench wrote: its weights, so both sides compute one thing."""
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)
    name = manifest["model"]
    model = {"fc": fc, "cnn": cnn}[name]()
    names, params = zip(*model.named_parameters())
    files = manifest["parameters"]
    if len(files) != len(params):
        raise SystemExit(
            f"torch_stiffness: {directory}: {len(files)} parameters, the {name} model has {len(params)}")
    with torch.no_grad():
        for torch_name, p, entry in zip(names, params, files):
            # DJL names end in _weight / _bias, torch's in .weight / .bias: the same order.
            if entry["name"].rsplit("_", 1)[-1] != torch_name.rsplit(".", 1)[-1]:
                raise SystemExit(
                    f"torch_stiffness: parameter {entry['name']} where {name} has {torch_name}")
            value = read_npy(os.path.join(directory, entry["file"]))
            if value.numel() != p.numel():
                raise SystemExit(
                    f"torch_stiffness: {entry['file']} ({entry['name']}): {value.numel()} values,"
                    f" expected {tuple(p.shape)}")
            p.copy_(value.reshape(p.shape))
    x = read_npy(os.path.join(directory, manifest["inputs"])).reshape(-1, *SHAPES[name])
    y = read_npy(os.path.join(directory, manifest["labels"])).long()
    return name, model, x, y


def random_data(name, n, seed):
    torch.manual_seed(seed)
    model = {"fc": fc, "cnn": cnn}[name]()
    return model, torch.randn(n, *SHAPES[name]), torch.randint(0, CLASSES, (n,))


def factorised_gram(model, x, y):
    """K = sum over dense layers of (A A^T + 1) * (B B^T): inputs A, output gradients B."""
    acts, outs = [], []
    h = x
    for m in model:
        if isinstance(m, nn.Linear):
            acts.append(h.detach())
            z = torch.zeros(x.shape[0], m.out_features, device=x.device, requires_grad=True)
            outs.append(z)
            h = m(h) + z
        else:
            h = m(h)
    backs = torch.autograd.grad(F.cross_entropy(h, y, reduction="sum"), outs)
    k = torch.zeros(x.shape[0], x.shape[0], device=x.device)
    for a, b in zip(acts, backs):
        term = a @ a.T  # in place from here: each fresh N x N array costs its page faults
        term += 1
        term *= b @ b.T
        k += term
    return k


def vmap_gram(model, x, y, chunk=256):
    """Per-example gradients by vmap(grad), chunk by chunk, then K = G G^T."""
    if VMAP is None:
        raise SystemExit("torch_stiffness: this torch has neither torch.func nor functorch (vmap)")
    if VMAP == "torch.func":
        params = {k: v.detach() for k, v in model.named_parameters()}

        def loss(p, xi, yi):
            return F.cross_entropy(functional_call(model, p, (xi.unsqueeze(0),)), yi.unsqueeze(0))

        def flat(d):
            return torch.cat([v.reshape(v.shape[0], -1) for v in d.values()], 1)
    else:
        fmodel, params = make_functional(model)

        def loss(p, xi, yi):
            return F.cross_entropy(fmodel(p, xi.unsqueeze(0)), yi.unsqueeze(0))

        def flat(d):
            return torch.cat([v.reshape(v.shape[0], -1) for v in d], 1)
    per_example = vmap(grad(loss), in_dims=(None, 0, 0))
    g = torch.cat([flat(per_example(params, x[i:i + chunk], y[i:i + chunk]))
                   for i in range(0, x.shape[0], chunk)])
    return g @ g.T


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def statistics(k, x, y, chunk, device):
    """Every sum the bench reduces its tiles to, row chunk by row chunk; (sums, distance seconds)."""
    n = k.shape[0]
    f64 = torch.float64
    sq = k.diagonal().to(f64)
    valid = sq > 0
    inv = torch.where(valid, 1 / sq.clamp_min(1e-300).sqrt(), torch.zeros_like(sq))
    one_hot = F.one_hot(y, CLASSES).to(f64)
    xd = x.reshape(n, -1).to(f64)
    inv_x = 1 / xd.norm(dim=1)
    edges = torch.tensor([WINDOW[0] + (WINDOW[1] - WINDOW[0]) * b / BINS for b in range(1, BINS)],
                         dtype=f64, device=device)  # the interior edges, as the bench makes them
    counts = torch.zeros(CLASSES, CLASSES, dtype=f64, device=device)
    cos_sums = torch.zeros_like(counts)
    sign_sums = torch.zeros_like(counts)
    bins = torch.zeros(3, 2 * BINS, dtype=f64, device=device)  # count, cosine, sign; between|within
    rows = {"within": torch.zeros(n, 6, dtype=f64, device=device),
            "all": torch.zeros(n, 6, dtype=f64, device=device)}
    ranges = {key: [math.inf, -math.inf] for key in rows}
    distance_seconds = 0.0
    inf = torch.tensor(math.inf, dtype=f64, device=device)
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        kb = k[s:e]
        cos = (kb.to(f64) * inv[s:e, None] * inv[None, :]).clamp_(-1, 1).float().to(f64)
        sign = torch.sign(kb).to(f64)
        pair = valid[s:e, None] & valid[None, :]
        pair[torch.arange(e - s, device=device), torch.arange(s, e, device=device)] = False
        sync(device)
        t = time.perf_counter()
        dot = xd[s:e] @ xd.T
        d = (1 - dot * inv_x[s:e, None] * inv_x[None, :]).clamp_(0, 2).float().to(f64)
        sync(device)
        distance_seconds += time.perf_counter() - t
        same = y[s:e, None] == y[None, :]
        w = pair.to(f64)
        cos_w, sign_w = cos * w, sign * w
        oh = one_hot[s:e].T
        counts += oh @ w @ one_hot
        cos_sums += oh @ cos_w @ one_hot
        sign_sums += oh @ sign_w @ one_hot
        # Bin k of a between-class pair, BINS + k of a within-class one, 2 BINS for no pair.
        index = (torch.bucketize(d, edges, right=True) + BINS * same).masked_fill_(~pair, 2 * BINS)
        index = index.reshape(-1)
        for row, weights in enumerate((None, cos_w, sign_w)):
            bins[row] += torch.bincount(
                index, None if weights is None else weights.reshape(-1), 2 * BINS + 1)[:2 * BINS]
        fitted = pair & (d >= WINDOW[0]) & (d <= WINDOW[1])
        for key, m in (("within", fitted & same), ("all", fitted)):
            mw = m.to(f64)
            dm, ym = d * mw, cos * mw
            rows[key][s:e] = torch.stack(
                [mw.sum(1), dm.sum(1), ym.sum(1), (dm * d).sum(1), (dm * cos).sum(1),
                 (ym * cos).sum(1)], 1)
            ranges[key] = [min(ranges[key][0], torch.where(m, d, inf).min().item()),
                           max(ranges[key][1], torch.where(m, d, -inf).max().item())]
    sums = {"class_pairs": counts, "class_cosine_sums": cos_sums, "class_sign_sums": sign_sums,
            "bins": bins, "rows": rows, "ranges": ranges}
    sums["xi"] = {key: critical_length(rows[key], *ranges[key]) for key in rows}
    return sums, distance_seconds


def critical_length(rows, lo, hi):
    """xi from per-row sums: the bench's pooled fit, then a percentile bootstrap over the rows."""
    rows = rows[rows[:, 0] > 0].cpu()
    r = rows.shape[0]
    n, sd, sy = rows[:, 0], rows[:, 1], rows[:, 2]
    mx, my = sd / n, sy / n
    mxx = (rows[:, 3] - mx * sd).clamp_min(0)
    mxy = rows[:, 4] - mx * sy

    def fit(weights):  # weights (B, r): the parallel-moments pooling of the rows
        wn = weights * n
        total = wn.sum(1)
        gx = (wn * mx).sum(1) / total
        gy = (wn * my).sum(1) / total
        dx = mx - gx[:, None]
        sxx = (weights * (mxx + n * dx * dx)).sum(1)
        sxy = (weights * (mxy + n * dx * (my - gy[:, None]))).sum(1)
        return total, gx, gy, sxx, sxy

    total, gx, gy, sxx, sxy = (v[0].item() for v in fit(torch.ones(1, r, dtype=torch.float64)))
    if total < MIN_PAIRS or r < 2 or not sxx > 0:
        return {"reason": "too_few_pairs", "pairs": total}
    slope = sxy / sxx
    if slope >= 0:
        return {"reason": "non_negative_slope", "pairs": total, "slope": slope}
    xi = gx - gy / slope
    if not lo <= xi <= hi:
        return {"reason": "crossing_outside_range", "pairs": total, "xi": xi}
    generator = torch.Generator().manual_seed(0)
    draws = torch.randint(0, r, (RESAMPLES, r), generator=generator)
    weights = torch.zeros(RESAMPLES, r, dtype=torch.float64).scatter_add_(
        1, draws, torch.ones(RESAMPLES, r, dtype=torch.float64))
    _, bx, by, bxx, bxy = fit(weights)
    decays = (bxx > 0) & (bxy < 0)
    boot = torch.where(decays, bx - by * bxx / bxy.where(decays, torch.ones_like(bxy)),
                       torch.full_like(bx, math.inf)).sort().values
    alpha = 1 - CONFIDENCE

    def quantile(p):  # numpy's linear interpolation, infinite when it touches an infinity
        h = (RESAMPLES - 1) * p
        a, b = boot[math.floor(h)].item(), boot[min(math.floor(h) + 1, RESAMPLES - 1)].item()
        return math.inf if math.isinf(a) or math.isinf(b) else a + (h - math.floor(h)) * (b - a)

    low, high = quantile(alpha / 2), quantile(1 - alpha / 2)
    if math.isinf(low) or math.isinf(high):
        return {"reason": "interval_unbounded", "pairs": total, "xi": xi}
    return {"xi": xi, "low": low, "high": high, "slope": slope, "pairs": total}


def headline(sums):
    """Within- and between-class stiffness: means of the non-empty diagonal / off-diagonal cells."""
    counts = sums["class_pairs"]
    filled = counts > 0
    diagonal = torch.eye(CLASSES, dtype=torch.bool, device=counts.device)
    out = {}
    for measure in ("cosine", "sign"):
        means = sums[f"class_{measure}_sums"] / counts.clamp_min(1)
        for part, cells in (("within", filled & diagonal), ("between", filled & ~diagonal)):
            out[f"{part}_{measure}"] = means[cells].mean().item() if cells.any() else None
    out["pairs"] = int(counts.sum().item())
    out["xi"] = sums["xi"]["within"]
    out["xi_all_pairs"] = sums["xi"]["all"]
    return out


def run(name, model, x, y, chunk, device):
    """One end-to-end computation: (gradient seconds, statistics seconds, distance seconds, sums)."""
    sync(device)
    start = time.perf_counter()
    k = factorised_gram(model, x, y) if name == "fc" else vmap_gram(model, x, y)
    sync(device)
    gradients = time.perf_counter() - start
    start = time.perf_counter()
    sums, distances = statistics(k.detach(), x, y, chunk, device)
    sync(device)
    return gradients, time.perf_counter() - start, distances, sums


def as_json(value):
    if isinstance(value, torch.Tensor):
        return value.cpu().tolist()
    if isinstance(value, dict):
        return {key: as_json(v) for key, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", help="directory written by `./stiffness bench --against pytorch`")
    p.add_argument("--model", choices=sorted(SHAPES), help="without --data: the model")
    p.add_argument("--n", type=int, default=1024, help="without --data: examples (default 1024)")
    p.add_argument("--seed", type=int, default=0, help="without --data: seed (default 0)")
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:K (default cpu)")
    p.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's own)")
    p.add_argument("--repeats", type=int, default=1, help="timed runs (default 1)")
    p.add_argument("--chunk", type=int, default=0,
                   help="rows per statistics chunk (default: 2^20 pairs' worth, at most N)")
    p.add_argument("--statistics-out", help="write every sum of the last run as JSON here")
    a = p.parse_args()
    if (a.data is None) == (a.model is None):
        p.error("give either --data DIR or --model fc|cnn")
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    if a.data:
        name, model, x, y = load(a.data)
    else:
        name = a.model
        model, x, y = random_data(name, a.n, a.seed)
    model = model.to(device).eval()
    x, y = x.to(device), y.to(device)
    # Row chunks of about 2^20 pairs: float64 temporaries of 8 MiB, which the allocator reuses
    # (on these VMs a freshly touched page costs about 8 us: 64 MiB temporaries made the statistics
    # of N = 8192 take 140 s instead of about 20).
    chunk = a.chunk if a.chunk > 0 else max(1, min(x.shape[0], 2 ** 20 // x.shape[0]))
    warm = min(x.shape[0], 256)
    run(name, model, x[:warm], y[:warm], chunk, device)
    times = {"seconds": [], "gradient_seconds": [], "statistics_seconds": [], "distance_seconds": []}
    for _ in range(a.repeats):
        g, s, d, sums = run(name, model, x, y, chunk, device)
        times["seconds"].append(g + s)
        times["gradient_seconds"].append(g)
        times["statistics_seconds"].append(s)
        times["distance_seconds"].append(d)
    if a.statistics_out:
        with open(a.statistics_out, "w") as f:
            json.dump(as_json(sums), f)
    line = {"torch": torch.__version__, "model": name, "n": x.shape[0],
            "parameters": sum(q.numel() for q in model.parameters()), "device": str(device),
            "threads": torch.get_num_threads(),
            "method": "factorised" if name == "fc" else "vmap+matmul (" + str(VMAP) + ")",
            **times, "statistics": as_json(headline(sums))}
    print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
