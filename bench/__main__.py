"""`python -m bench [--quick]` (what `make bench` runs): measure, then write BENCHMARKS.md."""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from soak.notices_report import kept as notices_section
from soak.report import BENCH_TITLE, kept_section

from .worst_message import HEADING as WORST_MESSAGE

from . import whatif
from . import ROOT, SCALES, SEED, Stopwatch, aws_test_env, machine, progress

HEADER = """# Benchmarks

Regenerate with `make bench` (runs `python -m bench`; `python -m bench --quick` is a smaller
smoke run). Every figure below was measured by the run that wrote this file, except the
prices and latencies of section e, which are stated as assumptions, and the reliability soak
at the end, which `make soak` writes (and `make bench` keeps).

- Run: {when}, scale `{scale}`, seed {seed}, `python -m bench` took {runtime}.
- Machine: {cpu}, nproc {nproc}, {os}, Python {python} (single-threaded measurements).
"""

KEPT_HEADINGS = (BENCH_TITLE, WORST_MESSAGE)  # written by `make soak` and `python -m bench.worst_message`

SECTIONS = {
    "calls": ("a. DynamoDB and Scheduler calls per event type", "bench/calls.py",
              "DynamoDB, EventBridge Scheduler and KMS on moto in-process (`mock_aws`), counted with "
              "botocore `before-call` hooks; {n} tickets per profile, their whole life cycles."),
    "cpu": ("b. Warm handler CPU per webhook", "bench/cpu.py, bench/stages.py",
            "`app.app(event, context)` on API Gateway proxy events, `time.process_time` per call."),
    "cold": ("c. Cold start", "bench/cold.py → `python -m bench.cold_child app|boto3`",
             "fresh interpreters, app and boto3 runs interleaved."),
    "package": ("d. Deployment zip size", "bench/package.py", "runs the packaging script below."),
    "cost": ("e. Modeled AWS cost per million webhooks", "bench/cost.py", "from a, b and f."),
    "sim": ("f. Simulator", "bench/simulator.py",
            "in-memory fakes through `bootstrap.build`, moving FixedClock, `InMemoryTimers.due(now)`."),
    "summary": ("g. Seller summary (`GET /v1/sla/summary`)", "bench/summary.py",
                "in-memory fakes through `bootstrap.build`, the simulator's life cycles for one seller; "
                "`python -m bench.summary` runs this section alone and replaces it here."),
}


def measure(scale, package: dict) -> tuple[dict, dict]:
    from . import calls, cold, cost, cpu, simulator, stages
    from . import package as packaging
    from . import summary as seller_summary

    aws_test_env()
    results, seconds = {}, {}
    steps = [("calls", lambda: calls.run(scale)), ("cpu", lambda: cpu.run(scale)),
             ("stages", lambda: stages.run(scale)), ("cold", lambda: cold.run(scale)),
             ("package", lambda: packaging.run(scale, **package)),
             ("sim", lambda: simulator.run(scale)), ("summary", lambda: seller_summary.run(scale))]
    for name, step in steps:
        progress(f"{name} ...")
        with Stopwatch() as watch:
            results[name] = step()
        seconds[name] = watch.wall
        progress(f"{name} done in {watch.wall:.1f} s")
    results["cost"] = cost.run(results["calls"], results["cpu"], results["sim"])
    seconds["cost"] = 0.0
    return results, seconds


def render(results: dict, seconds: dict, scale, runtime: float) -> str:
    from . import calls, cold, cost, cpu, findings, package, simulator, stages
    from . import summary as seller_summary

    info = machine()
    parts = [HEADER.format(when=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), scale=scale.name,
                           seed=SEED, runtime=f"{runtime / 60:.1f} min ({runtime:.0f} s)", **info),
             "## Targets\n\n" + findings.summary(results),
             "## What it would take\n\n" + findings.what_it_would_take(results)]
    renderers = {"calls": calls.render, "cpu": cpu.render, "cold": cold.render,
                 "package": package.render, "cost": cost.render, "sim": simulator.render,
                 "summary": seller_summary.render}
    for name, (title, code, how) in SECTIONS.items():
        body = renderers[name](results[name])
        if name == "cpu":
            body += "\n\n" + stages.render(results["stages"])
        took = seconds[name] + (seconds["stages"] if name == "cpu" else 0)
        note = how.format(n=scale.calls_tickets)
        parts.append(f"## {title}\n\nCommand: `python -m bench` → {code}" + (f"; {note}" if note else "")
                     + f" Section time: {took:.0f} s.\n\n{body}")
    return "\n\n".join(parts).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N everywhere: a smoke run")
    parser.add_argument("--scale", choices=sorted(SCALES), help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--package-script", type=Path, help=argparse.SUPPRESS)  # tests: a stand-in
    parser.add_argument("--package-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    scale = SCALES[args.scale or ("quick" if args.quick else "full")]
    started = time.perf_counter()
    progress(f"scale {scale.name}: writing {args.output}")
    package = {k: v for k, v in (("script", args.package_script), ("outdir", args.package_dir)) if v}
    results, seconds = measure(scale, package)
    runtime = time.perf_counter() - started
    text = render(results, seconds, scale, runtime)
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    kept = "\n".join(filter(None, (kept_section(old, h) for h in KEPT_HEADINGS)))
    kept += notices_section(old)  # written by `make soak`
    kept += "\n" + whatif.kept_section(old) if whatif.kept_section(old) else ""
    args.output.write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")
    progress(f"wrote {args.output} in {runtime:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
