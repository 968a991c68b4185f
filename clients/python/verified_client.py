"""Client for Verified's sampler protocol ("verified-protocol 1", docs/PROTOCOL.md).

Standard library only. Verified starts this process, asks it to describe its samplers, then sends one
``sample`` request per run; while a sampler runs, ``Run`` turns the connection into a callable model
and a noise source served by Verified (exact model, counted evaluations, Verified's noise paths).

A batch is a flat list of n * d floats, row-major: point i is x[i*d:(i+1)*d]. Functions taking a batch
also accept anything with ``tolist()`` (a numpy array), flattened.

Two conventions are offered:

* DPM-Solver (forward time t, x = x_t): ``noise_pred(x, t)``, ``data_pred(x, t)``, ``alpha(t)``,
  ``sigma(t)``, ``lambda_(t)``, ``time_of_lambda(l)``.
* k-diffusion (x_k = x_t / alpha(t), sigma_k = sigma(t) / alpha(t) = exp(-lambda(t))): ``denoise(x_k, sigma_k)``
  returns E[x0 | x_k], ``sigmas`` are the grid's sigma_k, ``to_k(x)`` / ``from_k(x_k)`` convert the start
  and the result. For VE/EDM schedules alpha = 1 and both conventions coincide; for VP schedules the
  k-diffusion state is the scaled one, exactly as k-diffusion's wrappers of VP models do.

    import verified_client as vc
    def euler(run): ...; return x
    vc.serve([vc.declare("my-euler", euler, strong_order=1, weak_order=1, evaluations_per_step=1)])
"""
import json
import math
import sys

PROTOCOL = "verified-protocol 1"


class VerifiedError(Exception):
    """Verified refused a request (its reason is the message); the run is over."""


def declare(name, fn, *, strong_order=None, weak_order=None, evaluations_per_step=1, stochastic=False,
            requires="any", affine=True, equation=""):
    """A sampler declaration: fn(run) -> final batch. The fields are Verified's SamplerInfo."""
    return {"fn": fn, "info": {"name": name, "equation": equation, "stochastic": stochastic,
                               "strong_order": strong_order, "weak_order": weak_order,
                               "evaluations_per_step": evaluations_per_step, "requires": requires,
                               "affine": affine}}


def _flat(v):
    return v.ravel().tolist() if hasattr(v, "ravel") else list(v)


class Connection:
    """One JSON message per line on the process's real stdin/stdout."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    def send(self, message):
        self.writer.write(json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n")
        self.writer.flush()

    def receive(self):
        line = self.reader.readline()
        if not line:
            return None
        # parse_int=float: every number is a float (Verified writes 1.0 as 1); n and d are converted back.
        return json.loads(line, parse_int=float)

    def ask(self, message, answer):
        self.send(message)
        reply = self.receive()
        if reply is None:
            raise VerifiedError("Verified closed the connection")
        if reply.get("type") == "error":
            raise VerifiedError(reply.get("reason", "(no reason)"))
        if reply.get("type") != answer:
            raise VerifiedError("expected '%s', got '%s'" % (answer, reply.get("type")))
        return reply


class Run:
    """One sampling run: the request's data plus the model and noise served by Verified."""

    def __init__(self, connection, request):
        self._c = connection
        self.sampler = request["sampler"]
        self.n, self.d = int(request["n"]), int(request["d"])
        self.schedule = request["schedule"]
        self.grid = request["grid"]
        self.alphas, self.sigmas_t = request["alpha"], request["sigma"]
        self.lambdas, self.fs, self.g2s = request["lambda"], request["f"], request["g2"]
        self.x = request["x"]
        self.steps = len(self.grid) - 1
        self._at = {t: i for i, t in enumerate(self.grid)}
        self.sigmas = [s / a for s, a in zip(self.sigmas_t, self.alphas)]
        self._t_of_sigma_k = {s: t for s, t in zip(self.sigmas, self.grid)}

    # --- the model, DPM-Solver convention (forward time t, x = x_t) ---
    def model(self, x, t, kind):
        """One model evaluation (counted by Verified): kind is 'eps', 'x0', 'score' or 'velocity'."""
        return self._c.ask({"type": "model", "kind": kind, "t": float(t), "x": _flat(x)}, "prediction")["y"]

    def noise_pred(self, x, t):
        return self.model(x, t, "eps")

    def data_pred(self, x, t):
        return self.model(x, t, "x0")

    def _values(self, t):
        i = self._at.get(t)
        if i is not None:
            return self.alphas[i], self.sigmas_t[i], self.lambdas[i], self.fs[i], self.g2s[i]
        r = self._c.ask({"type": "schedule", "t": [float(t)]}, "schedule")
        return r["alpha"][0], r["sigma"][0], r["lambda"][0], r["f"][0], r["g2"][0]

    def alpha(self, t):
        return self._values(t)[0]

    def sigma(self, t):
        return self._values(t)[1]

    def lambda_(self, t):
        return self._values(t)[2]

    def time_of_lambda(self, lam):
        """The forward time with lambda(t) = lam (the schedule's inverse, computed by Verified)."""
        return self._c.ask({"type": "time", "lambda": [float(lam)]}, "time")["t"][0]

    # --- noise ---
    def noise(self, t_from, t_to):
        """A standard normal block [n, d] for the step t_from -> t_to (t_from == t_to: an auxiliary draw)."""
        return self._c.ask({"type": "noise", "from": float(t_from), "to": float(t_to)}, "noise")["z"]

    # --- k-diffusion convention ---
    def time_of_sigma_k(self, sigma_k):
        t = self._t_of_sigma_k.get(sigma_k)
        return t if t is not None else self.time_of_lambda(-math.log(sigma_k))

    def denoise(self, x_k, sigma_k):
        """k-diffusion's denoiser D(x_k, sigma_k) = E[x0 | x_t = alpha(t) x_k], sigma_k = sigma(t)/alpha(t)."""
        t = self.time_of_sigma_k(sigma_k)
        a = self.alpha(t)
        return self.model([a * v for v in _flat(x_k)], t, "x0")

    def noise_k(self, sigma_k, sigma_k_next):
        """k-diffusion's noise_sampler(sigma, sigma_next)."""
        return self.noise(self.time_of_sigma_k(sigma_k), self.time_of_sigma_k(sigma_k_next))

    def to_k(self, x):
        a = self.alphas[0]
        return [v / a for v in _flat(x)]

    def from_k(self, x_k):
        a = self.alphas[-1]
        return [a * v for v in _flat(x_k)]

    def as_numpy(self, x):
        """x as an (n, d) numpy array (numpy must be installed)."""
        import numpy
        return numpy.asarray(x, dtype=numpy.float64).reshape(self.n, self.d)


def serve(samplers, reader=None, writer=None):
    """Answers Verified until it closes stdin. print() inside a sampler goes to stderr (Verified's log),
    so it cannot corrupt the protocol."""
    connection = Connection(reader or sys.stdin, writer or sys.stdout)
    sys.stdout = sys.stderr
    by_name = {s["info"]["name"]: s for s in samplers}
    while True:
        request = connection.receive()
        if request is None:
            return
        kind = request.get("type")
        if kind == "describe":
            connection.send({"type": "samplers", "protocol": PROTOCOL, "samplers": [s["info"] for s in samplers]})
        elif kind == "sample":
            sampler = by_name.get(request.get("sampler"))
            if sampler is None:
                connection.send({"type": "error", "reason": "no sampler named %r" % request.get("sampler")})
                continue
            try:
                x = _flat(sampler["fn"](Run(connection, request)))
            except VerifiedError as e:
                print("verified refused a request: %s" % e, file=sys.stderr)
                return  # Verified ends this process after an error
            except Exception as e:  # the sampler's own bug: report it, then keep serving
                connection.send({"type": "error", "reason": "%s: %s" % (type(e).__name__, e)})
                continue
            try:
                connection.send({"type": "result", "x": x})
            except ValueError as e:  # allow_nan=False: a non-finite result
                connection.send({"type": "error", "reason": "non-finite result: %s" % e})
        else:
            connection.send({"type": "error", "reason": "unknown request type %r" % kind})
