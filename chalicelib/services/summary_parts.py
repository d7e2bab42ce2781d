"""The seller summary's arithmetic: pure functions of tickets, orders, profiles and `now`."""
from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chalicelib.domain.model import ClockState, SlaClock, TicketSummary
from chalicelib.policy.clocks import AUTO_CLOSE
from chalicelib.policy.profile import Profile
from chalicelib.time.calendar import BusinessCalendar

from .views import iso

FIRST_ANSWER_CLOCKS = ("first_response", "reply")  # CRJ-5's first reply clock is its first answer
LISTED = 50  # items per list; the counts next to them are complete


def calendar_of(profile: Profile, rule_id: str) -> BusinessCalendar | None:
    """The business calendar an SLA rule counts in; None for calendar-day rules (PS-4)."""
    rule = next((r for r in profile.rules if r.id == rule_id), None)
    name = getattr(rule.params, "calendar", None) if rule else None
    return profile.calendar(name) if name else None


def business_left(calendar: BusinessCalendar | None, now: datetime, due: datetime) -> int:
    """Whole seconds of business time until `due` (negative past it, in elapsed time)."""
    if due <= now:
        return -round((now - due).total_seconds())
    return round((calendar.between(now, due) if calendar else due - now).total_seconds())


def overdue(clock: SlaClock, now: datetime) -> bool:
    return clock.state is ClockState.BREACHED or (clock.running and clock.due_at <= now)


def clock_item(ticket: TicketSummary, clock: SlaClock, profile: Profile, now: datetime) -> dict:
    return {"ticket_id": ticket.id, "thread_id": ticket.thread_id, "rule": clock.rule,
            "clock": clock.name, "state": "breached" if overdue(clock, now) else clock.state.value,
            "due_at": iso(clock.due_at), "reminder_at": iso(clock.reminder_at),
            "business_seconds_left": business_left(calendar_of(profile, clock.rule), now, clock.due_at)}


def deadlines(open_tickets: Iterable[TicketSummary], profile_of: Callable[[TicketSummary], Profile],
              now: datetime) -> dict:
    """Next deadlines, at-risk (past the reminder share) and breached clocks of open tickets."""
    running, at_risk, breached = [], [], []
    for ticket in open_tickets:
        for clock in ticket.sla:
            state = clock.state
            if state is ClockState.BREACHED or (state is ClockState.RUNNING and clock.due_at <= now):
                breached.append((clock.due_at, ticket.id, ticket, clock))
            elif state is ClockState.RUNNING:
                running.append((clock.due_at, ticket.id, ticket, clock))
                if clock.reminder_at and clock.reminder_at <= now:
                    at_risk.append((clock.due_at, ticket.id, ticket, clock))

    def items(found: list, count: int = LISTED) -> list[dict]:
        first = heapq.nsmallest(count, found, key=lambda f: (f[0], f[1]))
        return [clock_item(t, c, profile_of(t), now) for _, _, t, c in first]
    return {"next_deadlines": items(running, 10), "at_risk": items(at_risk),
            "at_risk_count": len(at_risk), "breached": items(breached),
            "breached_count": len(breached)}


@dataclass(frozen=True)
class Digest:
    """What one ticket version adds to the summary for good: its settled clocks, its first answer.

    Settled means met or breached: that never changes for a version, so a digest is kept
    (summary_window.SellerWindow) and only tickets that moved on are worked out again.
    """

    settled: tuple[tuple[str, date, bool], ...] = ()  # (rule, UTC day decided, met)
    first_answer: tuple[datetime, float] | None = None  # (answered at, business hours)


def digest(ticket: TicketSummary, profile: Profile) -> Digest:
    settled = tuple((c.rule, c.stopped_at.date(), True) if c.state is ClockState.MET
                    else (c.rule, c.due_at.date(), False)
                    for c in ticket.sla if c.state is ClockState.MET and c.stopped_at
                    or c.state is ClockState.BREACHED)
    answered = [c for c in ticket.sla if c.name in FIRST_ANSWER_CLOCKS and c.stopped_at]
    if not answered:
        return Digest(settled)
    clock = min(answered, key=lambda c: c.started_at)
    calendar = calendar_of(profile, clock.rule)
    span = (calendar.between(clock.started_at, clock.stopped_at) if calendar
            else clock.stopped_at - clock.started_at)
    return Digest(settled, (clock.stopped_at, span.total_seconds() / 3600))


def overdue_now(open_tickets: Iterable[TicketSummary], now: datetime) -> list[tuple[str, date, bool]]:
    """Running clocks past due whose breach timer has not fired yet: breached, as of now."""
    return [(c.rule, c.due_at.date(), False) for t in open_tickets for c in t.sla
            if c.running and c.due_at <= now]


def compliance(decided: Counter, now: datetime, days: int = 30) -> dict:
    """Per SLA rule: met / breached over 7 and 30 days, and the daily series of the 30.

    `decided` counts clocks by (rule, UTC day met or breached, met)."""
    first = now.date() - timedelta(days=days - 1)
    tally: dict[str, Counter] = {}
    for (rule, day, met), count in decided.items():
        if day >= first:
            tally.setdefault(rule, Counter())[(day, met)] += count
    week = now.date() - timedelta(days=6)
    return {rule: {"7d": _ratio(c, week), "30d": _ratio(c, first),
                   "daily": [{"date": (first + timedelta(days=n)).isoformat(),
                              "met": c[(first + timedelta(days=n), True)],
                              "breached": c[(first + timedelta(days=n), False)]}
                             for n in range(days)]}
            for rule, c in sorted(tally.items())}


def _ratio(counts: Counter, since: date) -> dict:
    met = sum(n for (day, ok), n in counts.items() if ok and day >= since)
    breached = sum(n for (day, ok), n in counts.items() if not ok and day >= since)
    return {"met": met, "breached": breached,
            "ratio": round(met / (met + breached), 4) if met + breached else None}


def auto_closes(open_tickets: Iterable[TicketSummary], now: datetime, within: timedelta) -> list[dict]:
    """CMS-5: open tickets whose auto-close timer falls due within `within`."""
    until = now + within
    due = sorted((timer.due_at, t.id) for t in open_tickets for timer in t.timers
                 if timer.kind == AUTO_CLOSE and timer.due_at <= until)
    return [{"ticket_id": ticket_id, "due_at": iso(at), "rule": "CMS-5"} for at, ticket_id in due]
