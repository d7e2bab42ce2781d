"""(e) Modeled AWS cost per million webhooks, from the counted calls and item sizes (a), the
warm CPU and log bytes (b) and the timer CPU (f). Prices are typed here, with their date;
every quantity comes from the run."""
from __future__ import annotations

from . import workload

PRICES_AS_OF = "list prices for us-east-1 as published in 2025 (not fetched by this run)"
M = 1e6
# The API front is the HTTP API (deploy/merge-template.yaml, ApiFront=http): $1.00 per 1M
# requests (us-east-1, first 300M a month). The REST API (ApiFront=rest) would be $3.50.
PRICE = {"api": 1.00 / M, "lambda_req": 0.20 / M, "gb_s": 0.0000166667, "wru": 0.625 / M,
         "rru": 0.125 / M, "sched": 1.00 / M, "kms": 0.03 / 10_000, "log_gb": 0.50}  # $ per unit
OLD_DDB = {"wru": 1.25 / M, "rru": 0.25 / M}  # on-demand before the 50 % cut of 1 Nov 2024
REST_API = 3.50 / M
MEMORY_GB, FULL_VCPU_MB = 0.5, 1769  # 512 MB gets 512/1769 of a vCPU: CPU-bound code runs slower
LATENCY_MS = {"Query": 4, "GetItem": 4, "ExecuteStatement": 5, "UpdateItem": 5, "PutItem": 5, "TransactWriteItems": 10,
              "scheduler": 20, "kms": 6}  # assumed in-region round trips, not measured
PLATFORM_LOG_BYTES = 350  # START / END / REPORT lines per invocation (assumed)
TARGET = 6.0


def run(calls: dict, cpu: dict, sim: dict) -> dict:
    rows, webhooks = calls["rows"], calls["webhooks"]
    hooks = [r for r in rows if not r["kind"].startswith("timer")]
    timer_rows = [r for r in rows if r["kind"].startswith("timer")]
    per = lambda key, rs: sum(r[key] * r["n"] for r in rs) / webhooks  # noqa: E731 - per webhook
    timers = calls["timers"] / webhooks
    io = lambda rs: sum((sum(LATENCY_MS[op] * n for op, n in r["ops_mean"].items())  # noqa: E731
                         + LATENCY_MS["scheduler"] * r["sched_mean"] + LATENCY_MS["kms"] * r["kms_mean"])
                        * r["n"] for r in rs) / max(1, sum(r["n"] for r in rs))
    slow = FULL_VCPU_MB / (MEMORY_GB * 1024)
    api_cpu, timer_cpu = cpu["memory"]["mean"], sim["timer_cpu_ms"]
    api_ms, timer_ms = api_cpu * slow + io(hooks), timer_cpu * slow + io(timer_rows)
    # the notifier's schedule syncs: at most one invocation per cue cleared (batches share them)
    stream_calls = per("after_ddb_mean", rows)
    stream_ms = (LATENCY_MS["UpdateItem"] * stream_calls
                 + LATENCY_MS["scheduler"] * per("after_sched_mean", rows))  # per webhook
    q = {"api": 1.0, "lambda_req": 1 + timers + stream_calls,
         "gb_s": MEMORY_GB * (api_ms + timers * timer_ms + stream_ms) / 1000,
         "wru": sum(per(k, rows) for k in ("wru_mean", "gsi_mean", "after_wru_mean", "after_gsi_mean")),
         "rru": per("rru_mean", rows),
         "sched": timers, "kms": per("kms_mean", rows),
         "log_gb": (cpu["memory"]["log_bytes"] + PLATFORM_LOG_BYTES) * (1 + timers) / 2**30}
    cost = {k: q[k] * PRICE[k] * M for k in q}  # $ per 1M webhooks
    total = sum(cost.values())
    by_item = calls["by_item"]
    return {"q": q, "cost": cost, "total": total, "api_ms": api_ms, "timer_ms": timer_ms,
            "api_cpu": api_cpu, "timer_cpu": timer_cpu, "slow": slow, "api_io": io(hooks),
            "timer_io": io(timer_rows), "timers": timers, "webhooks": webhooks,
            "wru_share": {k: v / webhooks for k, v in sorted(by_item.items(), key=lambda kv: -kv[1])},
            "old_ddb_total": total + sum(q[k] * (OLD_DDB[k] - PRICE[k]) * M for k in OLD_DDB),
            "http_api_total": total,  # the default front (bench/findings.py reads this key)
            "rest_api_total": total + (REST_API - PRICE["api"]) * M}


def render(r: dict) -> str:
    q, c = r["q"], r["cost"]
    lines = [f"Prices: {PRICES_AS_OF}: API Gateway HTTP API $1.00 per 1M requests (first 300M a "
             f"month; the REST API would be $3.50); Lambda $0.20 per 1M requests "
             f"+ $0.0000166667 per GB-s (x86); DynamoDB on-demand $0.625 per 1M write request units and "
             f"$0.125 per 1M read units (after the 1 Nov 2024 cut from $1.25 / $0.25); EventBridge Scheduler "
             f"$1.00 per 1M invocations (free tier ignored); KMS $0.03 per 10,000 requests; CloudWatch Logs "
             f"$0.50 per GB ingested. Storage, PITR, data transfer and the reconciler (one run per 5 min) "
             f"are left out.", "",
             f"Mix: the {r['webhooks']} webhooks of (a) ({', '.join(workload.PROFILES.values())}, as many tickets each) "
             f"and the {r['timers'] * r['webhooks']:.0f} timer firings they caused ({r['timers']:.3f} per webhook).",
             "", "| item | per webhook | arithmetic | $ per 1M webhooks |", "|---|--:|---|--:|",
             f"| API Gateway HTTP API | 1 request | 1 × $1.00 | {c['api']:.2f} |",
             f"| Lambda requests | {q['lambda_req']:.3f} | (1 webhook + {r['timers']:.3f} timer) × $0.20 "
             f"| {c['lambda_req']:.2f} |",
             f"| Lambda duration | {q['gb_s']:.4f} GB-s | 0.5 GB × ({r['api_ms']:.1f} ms + {r['timers']:.3f} × "
             f"{r['timer_ms']:.1f} ms) / 1000 × $0.0000166667 × 10⁶ | {c['gb_s']:.2f} |",
             f"| DynamoDB writes | {q['wru']:.2f} WRU | {q['wru']:.2f} × $0.625 | {c['wru']:.2f} |",
             f"| DynamoDB reads | {q['rru']:.2f} RRU | {q['rru']:.2f} × $0.125 | {c['rru']:.2f} |",
             f"| EventBridge Scheduler | {q['sched']:.3f} invocations | {q['sched']:.3f} × $1.00 | {c['sched']:.2f} |",
             f"| KMS | {q['kms']:.3f} requests | {q['kms']:.3f} × $3.00 | {c['kms']:.2f} |",
             f"| CloudWatch Logs | {q['log_gb'] * 2**30:.0f} B | {q['log_gb'] * 2**30:.0f} B / 2³⁰ × $0.50 × 10⁶ "
             f"| {c['log_gb']:.2f} |",
             f"| **total** | | | **{r['total']:.2f}** |", ""]
    top = max(c, key=c.get)
    verdict = "met" if r["total"] <= TARGET else f"**missed** by ${r['total'] - TARGET:.2f}"
    lines += [f"**${r['total']:.2f} per million webhooks** (target ≤ ${TARGET:.0f}): {verdict}. "
              f"Largest item: {top} (${c[top]:.2f}, {c[top] / r['total']:.0%}); DynamoDB writes + API "
              f"Gateway = {(c['wru'] + c['api']) / r['total']:.0%}. At the pre-cut DynamoDB prices: "
              f"${r['old_ddb_total']:.2f}. With the REST API ($3.50 per 1M, `ApiFront=rest`) instead: "
              f"${r['rest_api_total']:.2f}.", "",
              f"Duration model: measured warm CPU (b, mean {r['api_cpu']:.2f} ms per webhook; f, "
              f"{r['timer_cpu']:.2f} ms per timer firing) × {r['slow']:.2f} (512 MB is {1 / r['slow']:.0%} of a "
              "vCPU) + AWS round trips at assumed latencies (ms: "
              + ", ".join(f"{k} {v}" for k, v in LATENCY_MS.items()) + "): "
              f"{r['api_io']:.1f} ms per webhook, {r['timer_io']:.1f} ms per timer. The bare CPU time alone "
              f"would bill ${MEMORY_GB * (r['api_cpu'] + r['timers'] * r['timer_cpu']) / 1000 * PRICE['gb_s'] * M:.2f}.",
              "", "Write units per webhook by item (transactional writes count double): " + ", ".join(
                  f"{k} {v:.2f}" for k, v in r["wru_share"].items()) + "."]
    return "\n".join(lines)
