"""(f) What the simulated tickets ended as, per profile, and the Markdown of the section."""
from __future__ import annotations

from collections import Counter, defaultdict

from . import workload


def outcomes(store) -> dict:
    found: dict = defaultdict(Counter)
    for ticket in store.tickets.values():
        tally = found[workload.PROFILES[ticket.marketplace]]
        tally["tickets"] += 1
        tally[f"status {ticket.status.value}"] += 1
        tally["auto-closed (expired)"] += ticket.close_reason == "expired"
        if ticket.close_reason:
            tally[f"reason {ticket.close_reason}"] += 1
        for clock in ticket.sla:
            tally[f"clock {clock.name} {clock.state.value}"] += 1
    for order in store.orders.values():
        found[workload.PROFILES[order.marketplace]]["duplicate payments refunded"] += len(order.refunds_issued)
    return found


def render(result: dict) -> str:
    events = result["webhooks"] + result["timers"]
    errors = ", ".join(f"{k} ×{n}" for k, n in result["errors"].items()) or "none"
    lines = [f"{result['tickets']:,} tickets in cohorts of {result['cohort']:,}: {result['webhooks']:,} webhooks "
             f"+ {result['timers']:,} timer firings = {events:,} events handled in {result['handle_s']:.1f} s CPU "
             f"on one core: **{result['events_per_s']:,.0f} events/s** (generating the life cycles: "
             f"{result['generate_s']:.1f} s; wall {result['wall_s']:.0f} s). "
             f"CPU per webhook {result['webhook_cpu_ms']:.2f} ms, per timer firing {result['timer_cpu_ms']:.2f} ms. "
             f"Errors: {errors}.", "",
             "| profile | tickets | open | closed | rejected | auto-closed (CMS-5) | duplicate payments refunded |",
             "|---|--:|--:|--:|--:|--:|--:|"]
    for profile, t in sorted(result["outcomes"].items()):
        lines.append(f"| {profile} | {t.get('tickets', 0):,} | {t.get('status open', 0):,} "
                     f"| {t.get('status closed', 0):,} "
                     f"| {t.get('status rejected', 0):,} | {t.get('auto-closed (expired)', 0):,} "
                     f"| {t.get('duplicate payments refunded', 0):,} |")
    lines += ["", "| profile | SLA clock | met | breached | running | paused |", "|---|---|--:|--:|--:|--:|"]
    for profile, t in sorted(result["outcomes"].items()):
        for name in sorted({k.split()[1] for k in t if k.startswith("clock ")}):
            counts = [t.get(f"clock {name} {state}", 0) for state in ("met", "breached", "running", "paused")]
            lines.append(f"| {profile} | {name} | " + " | ".join(f"{c:,}" for c in counts) + " |")
    lines += ["", "Close reasons: " + "; ".join(
        f"{profile}: " + ", ".join(f"{k.removeprefix('reason ')} {n:,}" for k, n in sorted(
            ((k, n) for k, n in t.items() if k.startswith("reason ")), key=lambda kv: -kv[1]))
        for profile, t in sorted(result["outcomes"].items())) + "."]
    return "\n".join(lines)
