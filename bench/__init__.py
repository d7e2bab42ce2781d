"""`make bench`: calls, CPU, cold start, zip size, cost model and simulator -> BENCHMARKS.md.

Every section module exposes `run(scale, ...) -> dict` (measured figures only) and
`render(result) -> str` (Markdown). `python -m bench` runs them in order and writes the file;
`tests/test_bench_smoke.py` runs them all at the tiny "smoke" scale so the code cannot rot.
"""
from __future__ import annotations

import math
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261123


@dataclass(frozen=True)
class Scale:
    name: str
    calls_tickets: int      # (a) tickets per profile on moto
    cpu_webhooks: int       # (b) measured webhooks, in-memory
    cpu_moto_webhooks: int  # (b) measured webhooks, on moto
    cold_runs: int          # (c) fresh subprocesses per variant
    sim_tickets: int        # (f) tickets simulated
    sim_shard: int          # (f) tickets per independent cohort (fresh store)
    summary_tickets: int = 10_000  # (g) one seller's simulated tickets
    summary_requests: int = 300    # (g) measured GET /v1/sla/summary requests per history


SCALES = {
    "full": Scale("full", 60, 2000, 2000, 7, 100_000, 5_000, 10_000, 300),
    "quick": Scale("quick", 8, 300, 200, 5, 2_000, 1_000, 1_000, 100),
    "smoke": Scale("smoke", 1, 12, 6, 1, 40, 20, 30, 5),
}


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def aws_test_env() -> None:
    """Fake credentials and a region: nothing here may reach a real AWS account."""
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_SECURITY_TOKEN": "testing", "AWS_SESSION_TOKEN": "testing",
                       "AWS_DEFAULT_REGION": "eu-west-1"})
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.pop("AWS_PROFILE", None)


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "python": platform.python_version(), "cpu": cpu,
            "os": f"{platform.system()} {platform.release()}"}


class Stopwatch:
    """Wall and CPU seconds of a block."""

    def __enter__(self) -> "Stopwatch":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
