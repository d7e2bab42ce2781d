"""(c) Cold start: fresh interpreters, app and boto3 runs interleaved, medians; plus one
`-X importtime` run of the app for the import breakdown by package (self time)."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections import Counter

from . import ROOT, progress

TARGET_RATIO = 1.4


def _child(variant: str, *flags: str) -> tuple[dict, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AWS_DEFAULT_REGION": "eu-west-1"}
    for name in ("AWS_ENDPOINT_URL", "PYTHONDONTWRITEBYTECODE", "TICKETWARDEN_LOCAL"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, *flags, "-m", "bench.cold_child", variant], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"cold start child {variant} failed: {done.stderr[-2000:]}")
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_RESULT ")][-1]
    return json.loads(line.removeprefix("BENCH_RESULT ")), done.stderr


def import_breakdown(stderr: str, top: int = 8) -> list[tuple[str, float]]:
    """Self import time (ms) summed by package (chalicelib by sub-package)."""
    by_package: Counter = Counter()
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        self_us, _, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        if not self_us.isdigit():
            continue
        parts = name.split(".")
        package = ".".join(parts[:2]) if parts[0] == "chalicelib" else parts[0]
        by_package["app.py body (runs warm_up)" if package == "app" else package] += int(self_us) / 1000
    return by_package.most_common(top)


def yaml_load_ms() -> dict:
    """The bundled YAML (profiles, lexicons, reply templates) read with PyYAML's pure-Python
    SafeLoader, as the app does, and with libyaml's CSafeLoader, when installed."""
    import time

    import yaml

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "chalicelib").rglob("*.yaml"))
             if "local" not in p.parts]
    timings = {}
    for name in ("SafeLoader", "CSafeLoader"):
        loader = getattr(yaml, name, None)
        if loader is not None:
            started = time.perf_counter()
            for text in texts:
                yaml.load(text, Loader=loader)
            timings[name] = (time.perf_counter() - started) * 1000
    return {"files": len(texts), **timings}


def run(scale) -> dict:
    subprocess.run([sys.executable, "-m", "textbuild.precompile"], cwd=ROOT, check=True,
                   capture_output=True)  # as scripts/package.sh does: the zip ships them
    _child("app")  # compile byte code once, as a deployed zip ships it
    runs: dict[str, list[dict]] = {"app": [], "boto3": []}
    for n in range(scale.cold_runs):
        for variant in runs:
            runs[variant].append(_child(variant)[0])
        progress(f"(c) cold start {n + 1}/{scale.cold_runs}")
    _, stderr = _child("app", "-X", "importtime")
    med = {v: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for v, rs in runs.items()}
    return {"runs": scale.cold_runs, "app": med["app"], "boto3": med["boto3"],
            "ratio": med["app"]["total_s"] / med["boto3"]["total_s"],
            "app_totals": [r["total_s"] for r in runs["app"]],
            "boto3_totals": [r["total_s"] for r in runs["boto3"]],
            "breakdown": import_breakdown(stderr), "yaml": yaml_load_ms()}


def render(result: dict) -> str:
    app, boto, ms = result["app"], result["boto3"], lambda s: f"{s * 1000:.0f}"
    verdict = ("met" if result["ratio"] <= TARGET_RATIO else
               f"**missed** by {result['ratio'] - TARGET_RATIO:.2f} "
               f"(app + first webhook would have to fit in {ms(boto['total_s'] * TARGET_RATIO)} ms)")
    lines = [f"Medians of {result['runs']} fresh interpreters each (wall time inside the process, "
             "interpreter start-up excluded):", "",
             "| measure | median ms |", "|---|--:|",
             f"| `import app` (chalice, pydantic, profiles, lexicons, routes; init phase) | {ms(app['import_s'])} |",
             f"| of which `bootstrap.warm_up()` | {ms(app['warm_up_s'])} |",
             f"| of which langdetect profiles (`language.warm_up`); the rest loads the lexicons and model "
             "weights (precompiled, `textbuild.precompile`) "
             f"| {ms(app['language_s'])} |",
             f"| first webhook (message.created, in-memory wiring) | {ms(app['first_s'])} |",
             f"| **app: import + first webhook** | **{ms(app['total_s'])}** |",
             f"| **`import boto3; boto3.client(\"dynamodb\")`** | **{ms(boto['total_s'])}** |",
             "| boto3 + the 4 clients the app uses on AWS (dynamodb, kms, scheduler, ssm) "
             f"| {ms(boto['all_clients_s'])} |",
             "| peak RSS after the first webhook / after boto3 (MB) "
             f"| {app['max_rss_mb']:.0f} / {boto['max_rss_mb']:.0f} |",
             "", f"**Ratio app / boto3 = {result['ratio']:.2f}** (target ≤ {TARGET_RATIO}): {verdict}.",
             "", "All runs (ms): app " + ", ".join(ms(s) for s in result["app_totals"])
             + "; boto3 " + ", ".join(ms(s) for s in result["boto3_totals"]) + ".",
             "", "Import self time by package (one `python -X importtime` run of the app, ms; the "
             "flag itself adds overhead):", "", "| package | self ms |", "|---|--:|"]
    lines += [f"| {name} | {value:.0f} |" for name, value in result["breakdown"]]
    y = result["yaml"]
    lines += ["", f"The {y['files']} bundled YAML files take {y['SafeLoader']:.1f} ms with PyYAML's pure-Python "
              "`safe_load`" + (f", {y['CSafeLoader']:.1f} ms with libyaml's `CSafeLoader` (what the app uses, "
                                  "`chalicelib/yaml_files.py`)." if "CSafeLoader" in y
                                  else "; libyaml is not installed, so the app uses the former.")]
    return "\n".join(lines)
