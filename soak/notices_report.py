"""The "Outbound notices" section of BENCHMARKS.md: soak figures, latency, outbox WRU, cost."""
from __future__ import annotations

TITLE = "## Outbound notices"


def section(soak: dict, latency: dict, wru: dict, cost: dict, command: str, when: str) -> str:
    ok = soak["lost"] == 0 and soak["out_of_ticket_order"] == 0 and soak["duplicates_other_id"] == 0
    faults = soak["fault_counts"]
    lines = [TITLE, "",
             f"`{command}` (run by `make soak`; seeded), {when}. Soak verdict: "
             f"{'**pass**' if ok else '**FAIL**'}.", "",
             "### Soak: receivers down, faulty, slow; the consumer crashing", "",
             "In-memory stores and Scheduler on a simulated clock (6 days), real HTTP to three "
             "receivers that verify every signature with `standardwebhooks`. The marketplace's "
             "receiver and one seller receiver answer 503 from day 1 to day 3; on ~10 % of the other "
             "attempts a receiver answers 500, answers after the sender's timeout "
             f"({soak['sender_timeout']} s here instead of 15 s) or slowly; the outbound store fails "
             "~1 % of its writes (the stream record fails half-processed and is replayed from it, as "
             "Lambda does with ReportBatchItemFailures) and retry timers crash too. At the end the "
             "seller resends what exhausted its retries (the polling path).", "",
             "| measure | goal | result |", "|---|--:|--:|",
             f"| notices lost (a delivery never accepted by its receiver, or a committed notice not stored) | 0 | {soak['lost']} |",
             f"| delivered out of ticket order | 0 | {soak['out_of_ticket_order']} |",
             f"| duplicates under another webhook-id | 0 | {soak['duplicates_other_id']} |",
             f"| notices committed (through the outbox) | | {soak['notices_committed']} |",
             f"| deliveries (notice × endpoint), incl. endpoint.failing warnings ({soak['warnings']}) | | {soak['deliveries']} |",
             f"| attempts recorded / arrivals at receivers | | {soak['attempts']} / {soak['arrivals']} |",
             f"| arrivals repeating an id (retries after 5xx, timeouts, down) | | {soak['same_id_repeats']} |",
             f"| deliveries exhausted (receiver down > 27 h), then resent | | {soak['resent_after_exhaustion']} |",
             f"| consumer crashes mid-batch / retry-timer crashes | | {soak['consumer_crashes']} / {soak['retry_timer_crashes']} |",
             f"| injected receiver faults | | {_faults(faults)} |",
             f"| wall time | | {soak['seconds']} s |", "",
             "### Delivery latency after commit (local stack)", "",
             f"{latency['samples']} notices committed one after another into moto (a change with an "
             "`action.requested`, as the decision code commits it), read from moto's stream by the "
             "local stream pump (polls every 0.1 s), posted to the marketplace endpoint's receiver: "
             f"p50 **{latency['p50']:.0f} ms**, p95 {latency['p95']:.0f} ms, p99 **{latency['p99']:.0f} ms** "
             f"(goal ≤ 2,000 ms), max {latency['max']:.0f} ms. On AWS the stream-to-Lambda hop is "
             "documented as sub-second; not measured here.", "",
             "### Extra WRU per webhook from the outbox (bench workload)", "",
             f"The seeded life cycles of section (a) ({wru['webhooks']} webhooks, {wru['timer_firings']} "
             f"timer firings) through the in-memory store; each outbox item sized as DynamoDB sizes it, "
             f"2 WRU per started KB inside the transaction: {wru['with_notices']} changes carried "
             f"{wru['notices']} notices ({_types(wru['types'])}), **{wru['wru_per_webhook']:.2f} WRU "
             f"per webhook** on average (goal ≤ 1).", "",
             "### Modeled cost of the notifier and deliveries per 1M webhooks", "",
             f"From the figures above: {cost['per_hook']:.3f} notices per webhook, 1.5 endpoints "
             f"each (assumed), one notifier invocation per outbox record ({cost['records']:.3f} per "
             "webhook, the worst case: batches of one); per delivery 4 writes, 7 consistent reads, "
             "150 ms waiting for the receiver at 256 MB (assumed), 5 % of attempts failing into a "
             "Scheduler retry (assumed). Prices as in section (e).", "",
             "| item | per webhook | $ per 1M webhooks |", "|---|--:|--:|"]
    q, c = cost["q"], cost["cost"]
    names = {"outbox_wru": "outbox WRU (in the webhook's transaction)", "notifier_wru": "notifier WRU",
             "notifier_rru": "notifier RRU", "lambda_req": "Lambda requests (notifier + retries)",
             "gb_s": "Lambda GB-s", "sched": "Scheduler retry schedules"}
    lines += [f"| {names[k]} | {q[k]:.4f} | {c[k]:.2f} |" for k in q]
    lines += [f"| **total** | | **{cost['total']:.2f}** |", ""]
    return "\n".join(lines) + "\n"


def _faults(faults: dict) -> str:
    total: dict = {}
    for per in faults.values():
        for kind, n in per.items():
            total[kind] = total.get(kind, 0) + n
    return ", ".join(f"{k} {v}" for k, v in sorted(total.items()))


def _types(types: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(types.items())) or "none"


def splice(document: str, text: str) -> str:
    """`document` with its notices section replaced by `text`, or with it appended."""
    _, title, rest = document.partition(TITLE)
    if not title:
        return document.rstrip() + "\n\n" + text
    end = rest.find("\n## ")
    old = title + (rest[:end + 1] if end >= 0 else rest)
    return document.replace(old, text, 1)


def kept(document: str) -> str:
    """The notices section of a BENCHMARKS.md ('' if none), for `make bench` to keep."""
    _, title, rest = document.partition(TITLE)
    if not title:
        return ""
    end = rest.find("\n## ")
    return "\n" + title + (rest[:end] if end >= 0 else rest).rstrip() + "\n"
