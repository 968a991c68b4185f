"""Timing client for Benchmarks' `protocol` verb: a "sampler" that makes E model evaluations on its start batch
(E = the number of grid steps) and returns it, so the measured time is the protocol's cost per evaluation."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python"))
import verified_client as vc  # noqa: E402


def evaluate(run):
    x = run.x
    for i in range(run.steps):
        run.model(x, run.grid[i], "score")
    return x


vc.serve([vc.declare("bench-evaluate", evaluate, strong_order=1, evaluations_per_step=1)])
