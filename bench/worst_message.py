"""`python -m bench.worst_message [--url URL]`: the heaviest messages the edge accepts, timed
against a running local stack (`make run`), into their own section of BENCHMARKS.md.

Issue 15: a 64 KiB body of credentials took 85 s (5,300 KMS calls) and could never commit.
Each variant is sent as the first message of a new thread (the opening rules run too), signed
with the demo secret of examples/tenants.yaml; wall time per request, client side.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import requests
from standardwebhooks.webhooks import Webhook

from chalicelib.api.schemas import MAX_MESSAGE_BODY
from chalicelib.services.credentials import MAX_CREDENTIALS
from soak.report import splice

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Largest message with the most credentials (issue 15)"
SECRET = "whsec_dGlja2V0d2FyZGVuLWxvY2FsLWNtc21hcnQtMDE="  # marketplace cmsmart, examples/tenants.yaml
QUESTION = "Why does the checkout stay blank since I enabled the module? "


def _fill(text: str) -> str:
    """Padded with prose to exactly the body limit."""
    room = MAX_MESSAGE_BODY - len(text.encode("utf-8"))
    return text + ("lorem ipsum dolor " * (room // 18 + 1))[:room]


def variants() -> dict[str, str]:
    pairs = " ".join(f"password: Sup3r{n}Secret" for n in range(MAX_CREDENTIALS))
    tokens = " ".join(f"token: {n:04d}{'x7Q' * 100}" for n in range(MAX_CREDENTIALS))[:MAX_MESSAGE_BODY - 200]
    return {
        "the probe: 120 password pairs (2.4 KB)": QUESTION + " ".join(
            f"password: Sup3r{n}Secret" for n in range(120)),
        f"64 KiB: {MAX_CREDENTIALS} password pairs + prose": _fill(QUESTION + pairs + " "),
        f"64 KiB: ~{MAX_CREDENTIALS} 300-character tokens (fills every seal)": _fill(QUESTION + tokens + " "),
        f"64 KiB: {MAX_CREDENTIALS + 1} password pairs + prose (refused: over the limit)": _fill(
            QUESTION + " ".join(f"password: Sup3r{n}Secret" for n in range(MAX_CREDENTIALS + 1)) + " "),
        "64 KiB: ~3,000 password pairs (refused: over the limit)": (QUESTION + " ".join(
            f"password: P{n}x" for n in range(4000)))[:MAX_MESSAGE_BODY],
    }


def post(url: str, body: str) -> tuple[int, float, dict]:
    now = datetime.now(timezone.utc)
    event = {"type": "message.created", "timestamp": now.isoformat(), "data": {
        "message_id": f"m-{uuid.uuid4().hex}", "thread_id": f"worst-{uuid.uuid4().hex}",
        "seller_id": "acme-modules", "product_id": "one-step-checkout",
        "customer_id": f"c-{uuid.uuid4().hex}", "author": "customer", "assignee": "anna",
        "sent_at": now.isoformat(), "body": body}}
    raw = json.dumps(event)
    webhook_id = f"wh-{uuid.uuid4().hex}"
    headers = {"webhook-id": webhook_id, "webhook-timestamp": str(int(now.timestamp())),
               "webhook-signature": Webhook(SECRET).sign(webhook_id, now, raw),
               "content-type": "application/json"}
    started = time.perf_counter()
    response = requests.post(f"{url}/webhooks/cmsmart", data=raw.encode(), headers=headers, timeout=60)
    return response.status_code, time.perf_counter() - started, response.json()


def measure(url: str, runs: int) -> list[tuple[str, int, int, list[float], str]]:
    rows = []
    for name, body in variants().items():
        times, statuses, note = [], set(), ""
        for _ in range(runs):
            status, seconds, answer = post(url, body)
            times.append(seconds)
            statuses.add(status)
            note = (answer.get("ticket") or {}).get("credentials") or \
                "; ".join(d["problem"] for d in answer.get("error", {}).get("details", []))
        rows.append((name, len(body.encode("utf-8")), min(statuses) if len(statuses) == 1 else -1, times, note))
    return rows


def section(rows, url: str, runs: int) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0]
    slowest = max(max(t) for *_, t, _ in rows)
    lines = [HEADING, "",
             f"Command: `make run` in one terminal, then `.venv/bin/python -m bench.worst_message` "
             f"(bench/worst_message.py; {runs} runs per variant against {url}: moto server for "
             f"DynamoDB, KMS, SSM and the Scheduler, `chalice local`), run {when}. "
             f"Each message opens a new thread; machine: nproc {os.cpu_count()}, load average "
             f"{load:.1f} at the end (shared). Slowest request: **{slowest:.2f} s** "
             f"(target < 5 s, Lambda timeout 28 s). Before issue 15 the 64 KiB body of credentials "
             f"took 85 s and answered 503 on every retry (the issue's probe).", "",
             "| message body | bytes | status | median s | max s | ticket says / error |",
             "|---|--:|--:|--:|--:|---|"]
    for name, size, status, times, note in rows:
        lines.append(f"| {name} | {size:,} | {status} | {statistics.median(times):.2f} | "
                     f"{max(times):.2f} | {note} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worst_message", description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    rows = measure(args.url, args.runs)
    text = section(rows, args.url, args.runs)
    print(text)
    args.output.write_text(splice(args.output.read_text(encoding="utf-8"), text, HEADING), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
