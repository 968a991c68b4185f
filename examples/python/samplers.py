"""Three common samplers in plain Python, served to Verified through clients/python/verified_client.py.

    verified report --external "python3 examples/python/samplers.py" --samplers py-euler,py-heun,py-dpm-solver-1
    verified report --external "python3 examples/python/samplers.py --wrong-heun" ...   (the deliberate bug)

py-euler and py-heun follow k-diffusion's sample_euler / sample_heun (no churn) in its sigma parameterisation;
py-dpm-solver-1 follows DPM-Solver's first-order update in forward time. With --wrong-heun, py-heun carries one
deliberately wrong line (marked BUG below): its corrector evaluates the denoiser at the step's start sigma instead of
its end sigma, a typical off-by-one timestep. The corrector then cancels only the first-order error, so the order
drops from 2 to 1: the report marks py-heun FAIL and the gate exits 1 against examples/python/baseline.json.
"""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
import verified_client as vc  # noqa: E402

WRONG_HEUN = "--wrong-heun" in sys.argv[1:]


def euler(run):
    """k-diffusion sample_euler: dx_k/dsigma_k = (x_k - D(x_k, sigma_k)) / sigma_k, one Euler step per interval."""
    s = run.sigmas
    x = run.to_k(run.x)
    for i in range(run.steps):
        denoised = run.denoise(x, s[i])
        dt = s[i + 1] - s[i]
        x = [xi + (xi - di) / s[i] * dt for xi, di in zip(x, denoised)]
    return run.from_k(x)


def heun(run):
    """k-diffusion sample_heun: Euler predictor, trapezoidal corrector (2 evaluations per step)."""
    s = run.sigmas
    x = run.to_k(run.x)
    for i in range(run.steps):
        denoised = run.denoise(x, s[i])
        d = [(xi - di) / s[i] for xi, di in zip(x, denoised)]
        dt = s[i + 1] - s[i]
        x2 = [xi + di * dt for xi, di in zip(x, d)]
        if WRONG_HEUN:
            denoised2 = run.denoise(x2, s[i])  # BUG (deliberate): the corrector must evaluate at s[i + 1]
        else:
            denoised2 = run.denoise(x2, s[i + 1])
        d2 = [(xi - di) / s[i + 1] for xi, di in zip(x2, denoised2)]
        x = [xi + (a + b) / 2 * dt for xi, a, b in zip(x, d, d2)]
    return run.from_k(x)


def dpm_solver_1(run):
    """DPM-Solver-1 (= DDIM with eta = 0): x_t = (alpha_t / alpha_s) x_s - sigma_t (e^h - 1) eps(x_s, s), h = lambda_t - lambda_s."""
    a, sg, lam = run.alphas, run.sigmas_t, run.lambdas
    x = list(run.x)
    for i in range(run.steps):
        eps = run.noise_pred(x, run.grid[i])
        h = lam[i + 1] - lam[i]
        x = [a[i + 1] / a[i] * xi - sg[i + 1] * math.expm1(h) * ei for xi, ei in zip(x, eps)]
    return x


if __name__ == "__main__":
    vc.serve([
        vc.declare("py-euler", euler, strong_order=1, weak_order=1, evaluations_per_step=1,
                   equation="k-diffusion sample_euler on the PF-ODE (S5.2 in the sigma parameterisation)"),
        vc.declare("py-heun", heun, strong_order=2, weak_order=2, evaluations_per_step=2,
                   equation="k-diffusion sample_heun, no churn (S5.3)"),
        vc.declare("py-dpm-solver-1", dpm_solver_1, strong_order=1, weak_order=1, evaluations_per_step=1,
                   equation="DPM-Solver-1 (S5.6)"),
    ])
