"""What-if at 100,000 tickets: `python -m bench.whatif [TICKETS] [SIMULATED] [REPLAYED]`
(not in `make bench`; defaults 100000 5000 20000; the README quotes 100000 5000 100000).

The simulator (bench/simulator.py) plays SIMULATED tickets' whole life cycles in cohorts;
their tickets and orders are gathered into one in-memory store, given to one seller and
copied (new ids) until the store holds TICKETS. The whatif reader goes through all of them
page by page; `WhatIf.run` replays REPLAYED of them under a candidate cmsmart profile with
CMS-3's maximum at 1. Writes its section of BENCHMARKS.md (`make bench` keeps it).
"""
from __future__ import annotations

import bisect
import pickle
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from chalicelib.adapters.memory import InMemoryTenants, InMemoryTicketStore
from chalicelib.policy.catalog import ProfileCatalog
from chalicelib.policy.profile import parse_profile
from chalicelib.services.cursors import decode_cursor, encode_cursor
from chalicelib.services.ports import TicketPage, TicketQuery
from chalicelib.services.profiles import Profiles
from chalicelib.services.whatif import WhatIf
from chalicelib.text.analysis import analyse

from . import ROOT, SEED, machine, progress
from .simulator import run_cohort
from .wiring import marketplaces

SELLER, SHARD = "bench-seller", 5_000
TITLE = "## What-if replay (issue 19)"


class IndexedStore(InMemoryTicketStore):
    """The in-memory store with the table's indexes: orders by customer, and tickets sorted
    by (opened_at, id) for pages, as GSI1 keeps them. The plain fake scans and sorts every
    record per call, which is quadratic at 100,000 tickets (one seller here)."""

    def index(self) -> None:
        self.by_customer: dict[str, list] = {}
        for order in self.orders.values():
            self.by_customer.setdefault(order.customer_id, []).append(order)
        self.opened = sorted((t.opened_at.isoformat(), t.id) for t in self.tickets.values())

    def list_tickets(self, query: TicketQuery) -> TicketPage:
        """Newest first from the cursor, within [opened_from, opened_until)."""
        low = bisect.bisect_left(self.opened, (query.opened_from.isoformat(),)) if query.opened_from else 0
        high = (bisect.bisect_left(self.opened, (query.opened_until.isoformat(),))
                if query.opened_until else len(self.opened))
        if query.cursor:
            after = decode_cursor(query.cursor)
            high = min(high, bisect.bisect_left(self.opened, (after["o"], after["i"])))
        keys = self.opened[max(low, high - query.limit):high][::-1]
        items = [self.tickets[i] for _, i in keys]
        more = high - query.limit > low
        cursor = encode_cursor({"o": keys[-1][0], "i": keys[-1][1]}) if more and keys else None
        return TicketPage(items=[replace(t, messages=()) for t in items], next_cursor=cursor)

    def orders_for_customer(self, seller_id: str, customer_id: str):
        return [o for o in self.by_customer.get(customer_id, ()) if o.seller_id == seller_id]


def build(tickets: int, simulated: int, cache: Path | None = None) -> IndexedStore:
    store = simulate(simulated, cache)
    if len(store.tickets) > tickets:
        store.tickets = dict(sorted(store.tickets.items())[:tickets])
    originals, copy = list(store.tickets.values()), 1
    while len(store.tickets) < tickets:
        for ticket in originals[: tickets - len(store.tickets)]:
            twin = f"{ticket.id}c{copy}"
            store.tickets[twin] = replace(ticket, id=twin, thread_id=f"{ticket.thread_id}-c{copy}")
        copy += 1
    store.index()
    return store


def simulate(simulated: int, cache: Path | None) -> IndexedStore:
    """The simulated tickets and orders; kept in `cache` (a pickle) for the next run."""
    store, began = IndexedStore(), time.perf_counter()
    if cache is not None and cache.exists():  # only this machine's own earlier run wrote it
        with cache.open("rb") as kept:
            store.tickets, store.orders = pickle.load(kept)
        return store
    for first in range(0, simulated, SHARD):
        size = min(SHARD, simulated - first)
        cohort = run_cohort(SEED + first, size, prefix=f"f{first}-", keep_store=True)["store"]
        store.tickets.update({i: replace(t, seller_id=SELLER) for i, t in cohort.tickets.items()})
        store.orders.update({k: replace(o, seller_id=SELLER) for k, o in cohort.orders.items()})
        progress(f"(whatif) simulated {first + size:,}/{simulated:,} tickets, "
                 f"{time.perf_counter() - began:.0f} s")
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as kept:
            pickle.dump((store.tickets, store.orders), kept)
    return store


def candidate():
    text = (ROOT / "chalicelib/policy/profiles/cmsmart.yaml").read_text(encoding="utf-8")
    text = text.replace("{min: 1, max: 3}", "{min: 1, max: 1}").replace('version: "', 'version: "max1-')
    return parse_profile(text, "cmsmart-max1.yaml")


def run(tickets: int, simulated: int, replayed: int) -> dict:
    """Read all `tickets` through pages; replay the first `replayed` of them (a store of that
    size: replaying costs the same per ticket at any size, reading is what grows)."""
    cache = ROOT / "build" / f"whatif-sim-{simulated}.pickle"
    began = time.perf_counter()
    store = build(tickets, simulated, cache)
    built = time.perf_counter() - began
    read, cpu = time.perf_counter(), time.process_time()
    count = sum(1 for _ in service(store).tickets(SELLER, None, None))
    read, read_cpu = time.perf_counter() - read, time.process_time() - cpu
    whatif = service(build(replayed, simulated, cache))
    cpu, wall = time.process_time(), time.perf_counter()
    report = whatif.run(SELLER, candidate())
    return {"tickets": len(store.tickets), "simulated": simulated, "build_s": built,
            "read": count, "read_s": read, "read_cpu_s": read_cpu,
            "pages": -(-count // whatif.page_size), "rejudged_tickets": report.tickets,
            "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
            "replayed": report.replayed, "changed": len(report.changed),
            "without_messages": report.without_messages,
            "explained": dict(report.explained), "unexplained": len(report.unexplained),
            "by_rule": {r: dict(c) for r, c in report.by_rule.items()}}


def service(store: IndexedStore) -> WhatIf:
    tenants = InMemoryTenants()
    for marketplace in marketplaces():
        tenants.add_marketplace(marketplace)
    return WhatIf(store, Profiles(tenants, ProfileCatalog(())), analyse,
                  as_of=lambda: datetime(2027, 1, 31, tzinfo=timezone.utc), progress=progress)


def render(r: dict, command: str) -> str:
    info = machine()
    return "\n".join([
        TITLE, "",
        f"Command: `{command}` → bench/whatif.py, run {datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC} "
        f"on {info['cpu']} (nproc {info['nproc']}, shared with other work). {r['simulated']:,} "
        f"tickets simulated (bench/simulator.py), copied to {r['tickets']:,} tickets of one seller "
        "in one in-memory store; candidate: cmsmart with CMS-3 `max: 1`.", "",
        "| measure | value |", "|---|---|",
        f"| tickets read through `list_tickets` pages of 200, each loaded whole | {r['read']:,} in "
        f"{r['pages']:,} pages, {r['read_s']:.1f} s wall, {r['read_cpu_s']:.1f} s CPU |",
        f"| whatif run on {r['rejudged_tickets']:,} of them (every ticket replayed under its current "
        f"profile, cmsmart ones also under the candidate) | {r['wall_s']:.0f} s wall, "
        f"{r['cpu_s']:.0f} s CPU, {1000 * r['cpu_s'] / max(1, r['rejudged_tickets']):.1f} ms CPU per "
        f"ticket |",
        *_extrapolated(r),
        f"| re-judged under the candidate | {r['replayed']:,} (tickets without a message to "
        f"replay: {r['without_messages']:,}) |",
        f"| tickets decided differently | {r['changed']:,} ({_rules(r['by_rule'])}) |",
        f"| replay vs stored: explained / unexplained | {sum(r['explained'].values()):,} "
        f"({_rules(r['explained'])}) / {r['unexplained']:,} |",
        f"| building the store (not part of whatif) | {r['build_s']:.0f} s |", ""])


def _extrapolated(r: dict) -> list[str]:
    """The whole store's replay time from a part's, when only a part was replayed."""
    if r["rejudged_tickets"] >= r["tickets"]:
        return []
    minutes = (r["cpu_s"] / max(1, r["rejudged_tickets"]) * r["tickets"] + r["read_cpu_s"]) / 60
    return [f"| the same for all {r['tickets']:,} (CPU per ticket × tickets + reading, extrapolated) "
            f"| about {minutes:.0f} min of CPU on one core |"]


def _rules(counts: dict) -> str:
    return ", ".join(f"{k}: {v if isinstance(v, int) else _rules(v)}" for k, v in sorted(counts.items())) or "none"


def kept_section(document: str) -> str:
    _, title, rest = document.partition(TITLE)
    end = rest.find("\n## ")
    return title + (rest[:end] if end >= 0 else rest).rstrip() + "\n" if title else ""


def main(argv: list[str]) -> int:
    tickets, simulated, replayed = (list(map(int, argv)) + [100_000, 5_000, 20_000][len(argv):])[:3]
    result = run(tickets, simulated, replayed)
    section = render(result, f"python -m bench.whatif {tickets} {simulated} {replayed}")
    path = ROOT / "BENCHMARKS.md"
    document = path.read_text(encoding="utf-8")
    old = kept_section(document)
    document = document.replace(old, section, 1) if old else document.rstrip() + "\n\n" + section
    path.write_text(document, encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
