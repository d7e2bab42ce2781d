"""`python -m bench` at the tiny smoke scale: every section runs end to end (moto, subprocesses,
the simulator) and the report has every part, so the bench code cannot rot. < 20 s."""
from __future__ import annotations

import re
import stat

import pytest

from bench import __main__ as bench_main
from bench.meter import item_size

pytestmark = pytest.mark.xdist_group("bench-smoke")

FAKE_PACKAGE = """#!/usr/bin/env bash
set -euo pipefail
mkdir -p "$2"
"{python}" -c "import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z: z.writestr('app.py', 'x' * 4096)" "$2/deployment.zip"
"""


def test_item_sizes_follow_dynamodb_rules():
    assert item_size({"PK": {"S": "abc"}}) == 5
    assert item_size({"n": {"N": "12345"}, "b": {"BOOL": True}}) == 1 + 3 + 1 + 1
    assert item_size({"m": {"M": {"k": {"S": "v"}}}}) == 1 + 3 + (1 + 1 + 1)


def test_every_section_runs_and_is_reported(tmp_path, aws_env, monkeypatch):
    import sys
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    script = tmp_path / "package.sh"
    script.write_text(FAKE_PACKAGE.replace("{python}", sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    output = tmp_path / "BENCHMARKS.md"

    assert bench_main.main(["--scale", "smoke", "--output", str(output), "--package-script", str(script),
                            "--package-dir", str(tmp_path / "package")]) == 0

    report = output.read_text()
    for title in ("## Targets", "## What it would take", "## a. DynamoDB", "## b. Warm handler CPU",
                  "## c. Cold start", "## d. Deployment zip", "## e. Modeled AWS cost", "## f. Simulator",
                  "## g. Seller summary"):
        assert title in report
    targets = report.split("## Targets")[1].split("##")[0]
    assert len(re.findall(r"^\| [a-f]\. ", targets, flags=re.M)) == 6  # one row per figure of issue 17
    assert "| before (2026-11-23) | after (this run) |" in targets
    assert "message.created (first)" in report and "timer " in report
    assert "per million webhooks" in report and "Errors: none" in report
    assert "deployment.zip (zipped)" in report
    assert "nan" not in report.lower().split()
    assert "`/v1/sla/summary` ≤ 50 ms p99" in report


def test_the_summary_section_alone_replaces_only_itself(tmp_path, aws_env):
    from bench import summary as section_g
    output = tmp_path / "BENCHMARKS.md"
    output.write_text("# Benchmarks\n\n## f. Simulator\n\nsim\n\n## g. Seller summary (old)\n\nold figures\n\n"
                      "## Reliability soak\n\nkept\n")
    assert section_g.main(["--scale", "smoke", "--output", str(output)]) == 0
    report = output.read_text()
    assert "old figures" not in report and report.count("## g. Seller summary") == 1
    assert report.index("## f. Simulator") < report.index("## g. Seller") < report.index("## Reliability soak")
    assert report.rstrip().endswith("kept") and "| **" in report.split("## g.")[1]
