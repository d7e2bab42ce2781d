"""(d) Deployment zip size: `scripts/package.sh dev build/bench-package` (chalice package +
checks + cfn-lint). It needs PyPI, or chalice's cache for this exact code; a failure is
reported in the table and does not fail the bench."""
from __future__ import annotations

import subprocess
import time
import zipfile
from collections import Counter
from pathlib import Path

from . import ROOT, progress

TARGET_MB = 15.0
SCRIPT = ROOT / "scripts" / "package.sh"
OUTDIR = ROOT / "build" / "bench-package"
TIMEOUT_S = 900


def run(scale=None, script: Path = SCRIPT, outdir: Path = OUTDIR) -> dict:
    command = f"{script.relative_to(ROOT) if script.is_relative_to(ROOT) else script} dev {_shown(outdir)}"
    progress(f"(d) {command}")
    started = time.perf_counter()
    try:
        done = subprocess.run([str(script), "dev", str(outdir)], cwd=ROOT, capture_output=True,
                              text=True, timeout=TIMEOUT_S)
        failure = None if done.returncode == 0 else (done.stderr or done.stdout).strip()[-600:]
    except (OSError, subprocess.TimeoutExpired) as exc:
        failure = f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - started
    zip_path = outdir / "deployment.zip"
    if failure or not zip_path.exists():
        return {"command": command, "ok": False, "seconds": seconds,
                "error": failure or "no deployment.zip was written"}
    with zipfile.ZipFile(zip_path) as archive:
        infos = archive.infolist()
    by_top: Counter = Counter()
    for info in infos:
        top = info.filename.split("/")[0]
        by_top[top.split("-")[0] if top.endswith(".dist-info") else top] += info.file_size
    return {"command": command, "ok": True, "seconds": seconds,
            "zip_mb": zip_path.stat().st_size / 2**20,
            "unzipped_mb": sum(i.file_size for i in infos) / 2**20, "files": len(infos),
            "largest": [(name, size / 2**20) for name, size in by_top.most_common(6)]}


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def render(result: dict) -> str:
    lines = [f"Command: `{result['command']}` ({result['seconds']:.0f} s).", "",
             "| measure | value | target |", "|---|--:|--:|"]
    if not result["ok"]:
        error = " ".join(result["error"].split())[:300].replace("|", "\\|")
        lines.append(f"| deployment.zip | **not built**: {error} | ≤ {TARGET_MB:.0f} MB |")
        return "\n".join(lines)
    verdict = "met" if result["zip_mb"] <= TARGET_MB else "**missed**"
    lines += [f"| deployment.zip (zipped) | {result['zip_mb']:.1f} MiB | ≤ {TARGET_MB:.0f} MB: {verdict} |",
              f"| unzipped | {result['unzipped_mb']:.1f} MiB ({result['files']} files) | Lambda limit 250 MB |",
              "", "Largest top-level entries, unzipped: " + ", ".join(
                  f"{name} {mb:.1f} MiB" for name, mb in result["largest"]) + "."]
    return "\n".join(lines)
