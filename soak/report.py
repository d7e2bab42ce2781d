"""soak/RESULTS.md: the figures of the soak runs as Markdown, with the command behind them."""
from __future__ import annotations

from collections import Counter

from .session import Result

HOW = """\
## How it runs

A seeded workload (soak/stories.py) of tickets with customer and seller messages, thread
closings, payments (duplicates, pending records, Business Care) and refunds requested and
completed on cmsmart, prestashop and crmjetty is delivered through `services.ingest.process`
(everything the webhook route does after the signature check). {dup:.0%} of all deliveries repeat
an earlier one (same webhook-id, same body: at once, minutes or up to a day later) and {resent:.0%}
of the events are re-sent under a new webhook-id. Each delivery arrives up to {jitter:.0f} s after
it was sent, so events of one thread or order sent closer than that may swap; gaps in a story
are otherwise an hour or more. {rate:.0%} of DynamoDB and Scheduler calls fail (throttling, 5xx,
timeouts, before or *after* a commit applied, KMS encrypt too): wrappers around the store, the
Scheduler twin (`InMemoryTimers.fail_next`) and the vault in memory; botocore `before-call` /
`after-call` hooks on moto's clients. A 503 is redelivered with the same webhook-id after 5 s,
30 s, 2 min, 5 min, 15 min ... (12 tries at most). The FixedClock is set to each arrival; every
{round_:g} h of simulated time (6 h on moto) due schedules fire like EventBridge Scheduler (deleted
after a successful run, a failed run is retried) and the reconciler runs once.

Decisions: a thread.closed or a seller reply sent just after a thread's first message may
overtake it (the close is kept at the ticket's key and the ticket opens closed; the customer's
first message opens a ticket a seller message started). Order-dependent by definition and
so compared only where applied in the same order: CMS-6 (a customer message that lands after
the close is refused, before it is a follow-up) and the CRJ-4 pending-payment notice (sent
only while no success is known). CMS-4 (which ticket stays open is decided by sent_at) and
every other field are expected equal; a difference in them is explained only if that
customer's changes or timer firings were applied in another order (a fault can delay a timer
by a round), and is then listed under Findings.

## Checks

*lost*: an acknowledged message, close, payment or refund record missing from the final
state. *doubled*: a message stored twice, a delivery applied twice, a refund issued or asked
for twice, a once-only decision (CMS-5, SLA reminder/breach, CRJ-4, PS-7, PS-8) recorded
twice. *missing / orphan*: a timer a ticket or order wants without its schedule / a schedule
no timer wants, after the last reconciler pass; *seen*: the same on subjects without the
reconciler's cue, at any audit after a pass (every round; every other one on moto).
*two open tickets*: a cmsmart customer with two open tickets at an audit (CMS-4/CMS-8).
*replay*: the changes the faulty run applied, re-run serially at the same instants without
faults: every field must match. *in-order*: a clean run in sent order without faults or
duplicates, on order-independent projections (message ids, payment and refund records,
refunds issued: always equal; status, close reason, linked ticket, decisions by (rule, code),
SLA states, wanted timers: equal unless that customer's changes were applied in another
order, then counted as explained).
"""

FINDINGS = (  # (does it show in a result?, what it means); each was a bug the soak found, now fixed
    (lambda r: r.orphans_seen or r.orphans,
     "Orphan schedules after a reconciler pass: a sync that retired only the kinds the previous version "
     "wanted although that version's own sync had failed (regression: TimerSync asks the Scheduler "
     "first; tests/service/test_crash_windows.py)."),
    (lambda r: r.two_open,
     "A cmsmart customer with two open tickets: a late first message judged as a follow-up after a "
     "seller reply opened the ticket (regression: tests/service/test_reordering.py)."),
    (lambda r: r.explained.get("sla"),
     "SLA states that differ from the in-order run: a breach lost to a late timer (regression: "
     "clocks.on_close breaches a clock past due) or clocks of messages delivered out of order "
     "(clocks.after_message replays them; tests/unit/test_clocks.py)."),
)


def _count(counter: Counter) -> str:
    total = sum(counter.values())
    details = ", ".join(f"{k} {v:,}" for k, v in sorted(counter.items()) if v)
    return f"{total:,}" + (f" ({details})" if details else "")


def _faults(counter: Counter) -> str:
    grouped: dict[str, Counter] = {}
    for label, n in counter.items():
        kind, _, where = label.partition(" (")
        grouped.setdefault(kind, Counter())[where.rstrip(")")] += n
    return "; ".join(f"{kind} {_count(ops)}" for kind, ops in sorted(grouped.items()))


def row(r: Result) -> str:
    t, c = r.tally, r.counts
    cells = [r.settings.backend, f"{sum(t.deliveries.values()):,}", f"{r.events:,}",
             f"{t.deliveries['duplicate']:,}", f"{t.deliveries['resent']:,}", f"{sum(r.faults.values()):,}",
             f"{t.retries:,}", f"{c['timer_firings']:,} ({c['timer_retries']} retried)", f"{c['repaired']:,}",
             _count(r.lost), _count(r.doubled),
             f"{r.missing} / {r.orphans} (seen {r.missing_seen} / {r.orphans_seen})", str(r.replay_mismatches),
             f"{sum(r.unexplained.values())} / {sum(r.explained.values())}", str(r.two_open),
             str(t.gave_up + sum(t.errors.values())), f"{r.seconds:.0f} s"]
    return "| " + " | ".join(cells) + " |"


HEADER = ("| backend | deliveries | unique events | duplicates (same id) | re-sent (new id) | faults injected "
          "| retries (503 redelivered) | timer firings | schedules repaired | lost | doubled "
          "| missing / orphan schedules | replay mismatches | in-order diffs unexplained / explained "
          "| CMS-4: customers with two open tickets | 500s, 4xx, given up | runtime |")


BENCH_TITLE = "## Reliability soak (issue 8)"


def _table(results: list[Result]) -> list[str]:
    return [HEADER, "|" + "---|" * (HEADER.count("|") - 1)] + [row(r) for r in results]


def bench_section(results: list[Result], command: str, when: str) -> str:
    """The soak's part of BENCHMARKS.md: `make soak` rewrites it, `make bench` keeps it."""
    verdict = "pass" if all(r.ok for r in results) else "FAIL"
    return "\n".join([BENCH_TITLE, "", f"Command: `make soak` (`{command}`), run {when}: **{verdict}**; "
                      "details, findings and method in [soak/RESULTS.md](soak/RESULTS.md).", ""]
                     + _table(results)) + "\n"


def kept_section(document: str, heading: str = BENCH_TITLE) -> str:
    """The soak (or `heading`'s) section of a BENCHMARKS.md, up to the next section ('' if none)."""
    _, title, rest = document.partition(heading)
    end = rest.find("\n## ")
    return title + (rest[:end] if end >= 0 else rest).rstrip() + "\n" if title else ""


def splice(document: str, section: str, heading: str = BENCH_TITLE) -> str:
    """`document` with its soak (or `heading`'s) section replaced by `section`, or appended."""
    old = kept_section(document, heading)
    if old:
        return document.replace(old, section, 1)
    return document.rstrip() + "\n\n" + section


def markdown(results: list[Result], command: str, when: str) -> str:
    first = results[0].settings
    verdict = "**pass**" if all(r.ok for r in results) else "**FAIL**: see Findings"
    lines = ["# Soak results", "", f"`{command}` (what `make soak` runs; seeded, reproducible), run {when}. "
             f"{verdict}.", ""]
    lines += _table(results)
    lines += ["", "## Details", ""]
    for r in results:
        lines += [f"**{r.settings.backend}** ({r.settings.deliveries:,} deliveries asked, seed {r.settings.seed}, "
                  f"{r.faulty_seconds:.0f} s for the faulty run, {r.seconds:.0f} s with the replay and the clean run)",
                  "", f"- faults injected: {_faults(r.faults)}",
                  "- tight pairs (sent 10-60 s apart) applied in the other order: " + "; ".join(
                      f"{kind} {swapped} of {total}" for kind, (swapped, total) in r.pairs.items()),
                  f"- customers whose changes were applied in another order than in the clean run: "
                  f"{r.reordered_groups} of {r.groups}; differences they explain: {_count(r.explained)}",
                  f"- reconciler passes that failed on an injected fault (retried next round): "
                  f"{r.counts['reconciler_failures']}; stale timer firings: {r.counts['stale_firings']}",
                  f"- the clean in-order run: {r.reference_problems} missing or orphan schedules or customers "
                  "with two open tickets"]
        if r.unexplained or r.tally.errors:
            lines.append(f"- unexplained differences: {_count(r.unexplained)}; errors: {dict(r.tally.errors)}")
        lines.append("")
    found = [text for applies, text in FINDINGS if any(applies(r) for r in results)]
    lines += ["## Findings", ""] + ([f"- {text}" for text in found] or ["- none"]) + [""]
    lines += [HOW.format(dup=first.duplicate_share, resent=first.resent_share, jitter=first.jitter_seconds,
                         rate=first.fault_rate, round_=first.round_hours)]
    return "\n".join(lines)
