"""PyTorch (CPU, float64) version of the reference throughput case, for a side-by-side comparison.

Same problem as `Benchmarks -- throughput`: exact-oracle DDIM (eta = 0) on a 2-D ring of K = 8
isotropic Gaussian modes (radius 2, std 0.1) under VP-linear (beta 0.1..20), 100 steps uniform in
t from 1 to 1e-3, starting from exact draws of p_1. Prints one JSON line.
Usage: /usr/bin/python3 bench/peer_ddim.py [samples] [steps] [threads] [dim]
"""
import json
import math
import sys
import time

import torch


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    d = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    torch.set_num_threads(threads)
    dtype = torch.float64
    k, radius, var = 8, 2.0, 0.01
    angles = torch.arange(k, dtype=dtype) * 2 * math.pi / k
    mu = torch.zeros(k, d, dtype=dtype)
    mu[:, 0] = radius * torch.cos(angles)
    mu[:, 1 % d] += radius * torch.sin(angles)
    log_w = torch.full((k,), -math.log(k), dtype=dtype)

    def alpha_sigma(t):
        big_b = 0.1 * t + 0.5 * 19.9 * t * t
        a = math.exp(-0.5 * big_b)
        return a, math.sqrt(-math.expm1(-big_b))

    def score(x, t):
        a, s = alpha_sigma(t)
        c = a * a * var + s * s
        diff = x[:, None, :] - a * mu[None, :, :]
        logt = log_w - 0.5 * d * math.log(2 * math.pi * c) - 0.5 * (diff * diff).sum(-1) / c
        r = torch.softmax(logt, dim=1)
        return -(r[..., None] * diff).sum(1) / c

    gen = torch.Generator().manual_seed(0)
    a1, s1 = alpha_sigma(1.0)
    comp = torch.randint(0, k, (n,), generator=gen)
    x = a1 * (mu[comp] + math.sqrt(var) * torch.randn(n, d, generator=gen, dtype=dtype)) + s1 * torch.randn(n, d, generator=gen, dtype=dtype)
    times = [1.0 + (1e-3 - 1.0) * i / steps for i in range(steps + 1)]
    start, cpu = time.perf_counter(), time.process_time()
    with torch.no_grad():
        for i in range(steps):
            t, u = times[i], times[i + 1]
            at, st = alpha_sigma(t)
            au, su = alpha_sigma(u)
            eps = -st * score(x, t)
            x0 = (x - st * eps) / at
            x = au * x0 + su * eps
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"impl": "pytorch-cpu-float64", "torch": torch.__version__, "threads": threads, "samples": n,
                      "steps": steps, "dim": d, "seconds": elapsed, "sample_steps_per_second": n * steps / elapsed,
                      "cpu_seconds": cpu, "sample_steps_per_cpu_second": n * steps / cpu,
                      "mean_radius": float(x.norm(dim=1).mean())}))


if __name__ == "__main__":
    main()
