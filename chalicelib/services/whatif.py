"""What-if: re-judge a seller's stored tickets under a candidate profile; write nothing.

Each ticket opened in the window is read through the store's pagination, loaded, and
replayed twice from the same history (services/replay.py): under the profile it lives under
now (the baseline) and, when the candidate is a version of that profile, under the
candidate. `changed` compares baseline with candidate: the effect of the profile change
alone. `fidelity` compares the baseline with what was stored: each difference is explained
by kind (another ticket, arrival order, orders at the time) or counted as unexplained.
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterator

from chalicelib.domain.model import Message, Ticket
from chalicelib.policy.profile import Profile
from chalicelib.policy.rules.open_tickets import SlotHolder, opened_key
from chalicelib.text.facts import TextFacts

from .ports import TicketQuery, TicketStore
from .profiles import Profiles
from .replay import SLOT_RULE_TYPES, History, replay
from .whatif_diff import MONEY_RULE_TYPES, TicketDiff, diff, explain

PAGE = 200
PROGRESS_EVERY = 1_000


@dataclass
class Report:
    seller_id: str
    candidate: str
    since: str | None
    until: str | None
    tickets: int = 0
    replayed: int = 0
    without_messages: int = 0  # nothing to replay (no stored message)
    other_profile: Counter = field(default_factory=Counter)  # profile ref -> tickets not re-judged
    changed: list[TicketDiff] = field(default_factory=list)
    by_rule: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    explained: Counter = field(default_factory=Counter)
    unexplained: list[TicketDiff] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class ShadowReport:
    seller_id: str
    since: str | None
    until: str | None
    tickets: int = 0
    rules: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # outcome -> tickets
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class WhatIf:
    store: TicketStore
    profiles: Profiles
    analyse: Callable[[str, tuple[str, ...]], TextFacts]
    as_of: Callable[[], datetime]
    progress: Callable[[str], None] = lambda line: None
    page_size: int = PAGE
    progress_every: int = PROGRESS_EVERY

    def run(self, seller_id: str, candidate: Profile, since: datetime | None = None,
            until: datetime | None = None) -> Report:
        report, began = Report(seller_id, candidate.ref, _iso(since), _iso(until)), time.perf_counter()
        as_of = self.as_of()
        for stored in self.tickets(seller_id, since, until):
            report.tickets += 1
            self._judge(report, stored, candidate, as_of)
            if report.tickets % self.progress_every == 0:
                self.progress(f"whatif: {report.tickets:,} tickets read, {report.replayed:,} "
                              f"re-judged, {len(report.changed):,} changed, "
                              f"{time.perf_counter() - began:.0f} s")
        report.seconds = time.perf_counter() - began
        return report

    def shadow(self, seller_id: str, since: datetime | None = None,
               until: datetime | None = None) -> ShadowReport:
        """What the shadow rules recorded on the tickets opened in the window."""
        report = ShadowReport(seller_id, _iso(since), _iso(until))
        for stored in self.tickets(seller_id, since, until):
            report.tickets += 1
            for rule, outcome in dict.fromkeys((d.rule, d.outcome) for d in stored.decisions
                                               if d.shadow):
                report.rules[rule][outcome] += 1
                if len(report.examples[rule]) < 5:
                    report.examples[rule].append(stored.id)
        return report

    def tickets(self, seller_id: str, since: datetime | None,
                until: datetime | None) -> Iterator[Ticket]:
        """Every ticket opened in [since, until), page after page, each loaded whole."""
        cursor = None
        while True:
            page = self.store.list_tickets(TicketQuery(seller_id=seller_id, opened_from=since,
                                                       opened_until=until, limit=self.page_size,
                                                       cursor=cursor))
            for summary in page.items:
                stored = self.store.load_ticket(summary.id)
                if stored is not None:
                    yield stored
            cursor = page.next_cursor
            if not cursor:
                return

    def _judge(self, report: Report, stored: Ticket, candidate: Profile, as_of: datetime) -> None:
        baseline = self.profiles.profile_for(stored.marketplace, stored.seller_id)
        history = self._history(stored, baseline, candidate, as_of)
        analyse = _memo(self.analyse)
        before = replay(stored, baseline, history, analyse)
        if before is None:
            report.without_messages += 1
            return
        found = diff(stored, before)
        if found is not None:
            found = explain(stored, found, baseline)
            if found.explained:
                report.explained[found.explained] += 1
            else:
                report.unexplained.append(found)
        if baseline.name != candidate.name:
            report.other_profile[baseline.ref] += 1
            return
        report.replayed += 1
        after = replay(stored, candidate, history, analyse)
        changed = diff(before, after)
        if changed is not None:
            report.changed.append(changed)
            for change in changed.changes:
                report.by_rule[change.rule][change.change] += 1

    def _history(self, stored: Ticket, baseline: Profile, candidate: Profile,
                 as_of: datetime) -> History:
        orders = ()
        if any(p.rule_of_type(t) for p in (baseline, candidate) for t in MONEY_RULE_TYPES):
            orders = tuple(o for o in self.store.orders_for_customer(stored.seller_id, stored.customer_id)
                           if o.marketplace == stored.marketplace)
        return History(holder=self._holder(stored, baseline), orders=orders, as_of=as_of)

    def _holder(self, stored: Ticket, profile: Profile) -> SlotHolder | None:
        """The other ticket of the stored CMS-4/CMS-8 decision: it held (or took) the slot."""
        slot_rules = {r.id for r in profile.rules if r.type in SLOT_RULE_TYPES}
        for decision in stored.decisions:
            if decision.rule not in slot_rules:
                continue
            closed, kept = decision.evidence.get("closed_ticket"), decision.evidence.get("kept_ticket")
            other = self.store.load_ticket(kept if closed == stored.id else closed)
            if other is not None and other.messages:
                return SlotHolder(other.id, opened_key(other))
        return None


def _memo(analyse: Callable[[str, tuple[str, ...]], TextFacts]):
    """One analysis per message and lexicon set for the ticket's two replays."""
    seen: dict[tuple[str, tuple[str, ...]], TextFacts] = {}

    def cached(message: Message, categories: tuple[str, ...]) -> TextFacts:
        key = (message.message_id, categories)
        if key not in seen:
            seen[key] = analyse(message.body, categories)
        return seen[key]
    return cached


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None
