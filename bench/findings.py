"""The summary table of targets, and what it would take where one is missed: every figure is
computed from this run's results."""
from __future__ import annotations

from . import workload
from .calls import TARGET_RT
from .cold import TARGET_RATIO
from .cost import TARGET as COST_TARGET
from .cpu import TARGET_P99_MS
from .package import TARGET_MB


def _message_rows(calls: dict, profile: str, first_only: bool = False) -> list[dict]:
    return [r for r in calls["rows"] if r["profile"] == profile and r["kind"].startswith("message.created")
            and (not first_only or r["kind"] == workload.FIRST)]


def _mean(rows: list[dict], value) -> float:
    n = sum(r["n"] for r in rows)
    return sum(value(r) * r["n"] for r in rows) / n if n else 0.0


def _trips(rows: list[dict]) -> tuple[float, float]:
    """Mean round trips now, and without the marker UpdateItem and the second Query."""
    now = _mean(rows, lambda r: r["ddb_mean"])
    saved = _mean(rows, lambda r: r["ops_mean"].get("UpdateItem", 0) + max(0, r["ops_mean"].get("Query", 0) - 1))
    return now, now - saved


def summary(res: dict) -> str:
    ok = lambda good: "met" if good else "**missed**"  # noqa: E731
    lines = ["| section | target | measured | status |", "|---|---|--:|---|"]
    for profile in workload.PROFILES.values():
        now, _ = _trips(_message_rows(res["calls"], profile))
        first, _ = _trips(_message_rows(res["calls"], profile, first_only=True))
        lines.append(f"| a. DynamoDB round trips per message.created, {profile} | ≤ {TARGET_RT} "
                     f"| mean {now:.2f} (first messages {first:.2f}) | {ok(now <= TARGET_RT and first <= TARGET_RT)} |")
    p99 = res["cpu"]["memory"]["p99"]
    lines.append(f"| b. warm CPU p99 per webhook, messages ≤ 4 KB | ≤ {TARGET_P99_MS:.0f} ms "
                 f"| {p99:.2f} ms | {ok(p99 <= TARGET_P99_MS)} |")
    lines.append(f"| c. cold start (import app + first webhook) / boto3 client | ≤ {TARGET_RATIO} "
                 f"| {res['cold']['ratio']:.2f} | {ok(res['cold']['ratio'] <= TARGET_RATIO)} |")
    pkg = res["package"]
    lines.append(f"| d. deployment zip | ≤ {TARGET_MB:.0f} MB | "
                 + (f"{pkg['zip_mb']:.1f} MiB | {ok(pkg['zip_mb'] <= TARGET_MB)} |" if pkg["ok"]
                    else "not built | not measured |"))
    lines.append(f"| e. modeled cost per 1M webhooks | ≤ ${COST_TARGET:.0f} | ${res['cost']['total']:.2f} "
                 f"| {ok(res['cost']['total'] <= COST_TARGET)} |")
    sim = res["sim"]
    lines.append(f"| f. simulator, tickets on one core | 100,000 | {sim['tickets']:,} in {sim['wall_s']:.0f} s "
                 f"({sim['events_per_s']:,.0f} events/s) | {ok(sim['tickets'] >= 100_000 and not sim['errors'])} |")
    return "\n".join(lines)


def what_it_would_take(res: dict) -> str:
    calls, cpu, cold, cost = res["calls"], res["cpu"], res["cold"], res["cost"]
    out = []
    projected = {p: _trips(_message_rows(calls, p)) for p in workload.PROFILES.values()}
    if any(now > TARGET_RT for now, _ in projected.values()):
        out.append("- **a. round trips.** Beyond load (Query) + commit (TransactWriteItems), two calls "
                   "add up: the post-commit `UpdateItem` that clears the reconciler's GSI2 marker once the "
                   "schedules are synced (every change of timers), and, on PrestaShop/CRMJetty first "
                   "messages, the GSI1 Query of the customer's orders. Without both, the means would be "
                   + ", ".join(f"{p} {new:.2f}" for p, (_, new) in projected.items())
                   + ". Ways there: (1) no marker at all: create the schedules a change wants *before* its "
                   "commit, named by (subject, kind, version, due time) so that attempts that lose a "
                   "version race never overwrite the winner's, fire a schedule only if the state wants that "
                   "version *and* due time, and delete retired ones after the commit (a failed delete "
                   "leaves a schedule that fires once, stale, and deletes itself), at the price of a Scheduler "
                   "outage failing the webhooks whose change needs a schedule (today the reconciler "
                   "repairs those later and the webhook succeeds); or sync from a DynamoDB "
                   "Streams consumer. Either removes GSI2 and its writes too. (2) Keep a per-customer "
                   "entitlement summary item updated in the payment transactions and read it with the "
                   "ticket head in one BatchGetItem.")
    stages = res["stages"]["stages"]
    if cpu["memory"]["p99"] > TARGET_P99_MS:
        band = list(cpu["bands"].values())[-1]
        out.append(f"- **b. CPU.** The p99 comes from the largest bodies (2–4 KB band: p50 {band['p50']:.1f} ms, "
                   f"p99 {band['p99']:.1f} ms), all in text work that grows with length: "
                   + ", ".join(f"{name} {s['p50']:.1f} ms" for name, s in stages.items()
                               if not name.startswith(("signature", "JSON", "analyse", "language without")))
                   + f" at the median; the gap is {cpu['memory']['p99'] - TARGET_P99_MS:.1f} ms. Already "
                   "done: langdetect reads a capped prefix and the per-character fold is cached. Next: a "
                   "cheap prefilter before the credential rules that share the long `label` alternation "
                   "(each scans the whole text).")
    if cold["ratio"] > TARGET_RATIO:
        app, boto = cold["app"], cold["boto3"]
        without = (app["total_s"] - app["warm_up_s"]) / boto["total_s"]
        out.append(f"- **c. cold start.** `bootstrap.warm_up()` is {app['warm_up_s'] * 1000:.0f} ms of the "
                   f"{app['total_s'] * 1000:.0f} ms ({app['language_s'] * 1000:.0f} ms langdetect profiles, the "
                   "rest compiling the lexicons); without it the ratio would be "
                   f"{without:.2f}, but the first customer message would pay it instead. Already done: "
                   "libyaml's loader for the bundled YAML, each lexicon compiled once. The rest is imports "
                   "(table): pydantic model building for profiles and rules, chalice, the credential "
                   "patterns. Further: precompile profiles and lexicons to plain data at package time, "
                   "and defer pydantic schema building for models off the webhook path. On AWS the "
                   f"first request also builds its boto3 clients ({boto['all_clients_s'] * 1000:.0f} ms for "
                   "the four), which this ratio leaves out.")
    if cost["total"] > COST_TARGET:
        share = cost["wru_share"]
        top = sorted(share.items(), key=lambda kv: -kv[1])[:4]
        out.append(f"- **e. cost.** DynamoDB writes are {cost['q']['wru']:.1f} WRU per webhook "
                   f"(${cost['cost']['wru']:.2f}); the largest: " + ", ".join(f"{k} {v:.2f}" for k, v in top)
                   + ". Transactions double every item; the delivery record carries the whole response; "
                   "GSI1 projects ALL attributes, so every ticket rewrite is also an index write of its "
                   f"full size. An HTTP API instead of REST gives ${cost['http_api_total']:.2f}, but Chalice "
                   "generates REST APIs only (aws/chalice#1321, open): it would take an HTTP API or a "
                   "function URL added in the merge template, with a shim turning its v2 events into "
                   "the v1 events the app routes; a KEYS_ONLY "
                   "or INCLUDE projection on GSI1, a compressed response in the delivery record, and "
                   "no marker update would cut most of the rest.")
    return "\n".join(out) or "Every target is met."
