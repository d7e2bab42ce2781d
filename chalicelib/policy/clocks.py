"""SLA clocks and the timers a ticket wants: pure functions of the profile and the ticket.

Clocks start and stop on messages; timers are derived from the open ticket and its running
clocks. A timer keeps its version while its due time is unchanged, so a timer that fires for
a due time the ticket no longer wants is recognised as stale and does nothing.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.domain.model import Author, ClockState, Message, SlaClock, Ticket, Timer

from .profile import Profile, Rule

AUTO_CLOSE = "auto_close"
BUGFIX_DEADLINE = "bugfix_deadline"


def reminder_kind(clock: SlaClock) -> str:
    return f"sla_reminder:{clock.name}"


def breach_kind(clock: SlaClock) -> str:
    return BUGFIX_DEADLINE if clock.name == "bugfix" else f"sla_breach:{clock.name}"


def on_message(profile: Profile, ticket: Ticket, message: Message) -> Ticket:
    """Start or stop the clocks this message concerns."""
    clocks = list(ticket.sla)
    personal_seller = message.author is Author.SELLER and not message.automated
    if personal_seller:
        clocks = [c.stopped(message.sent_at) if c.name in ("first_response", "reply") else c
                  for c in clocks]
    first = profile.rule_of_type("first_response_sla")
    if first and message.author is Author.CUSTOMER and not _named(clocks, "first_response"):
        clocks.append(_clock(profile, first, "first_response", message.sent_at))
    reply = profile.rule_of_type("reply_sla")
    if reply and message.author is Author.CUSTOMER and not _running(clocks, "reply"):
        clocks.append(_clock(profile, reply, "reply", message.sent_at))
    bugfix = profile.rule_of_type("bugfix_deadline")
    if bugfix and message.author is Author.SELLER:
        clocks = _bugfix(bugfix, clocks, ticket, message)
    return replace(ticket, sla=tuple(clocks))


def _named(clocks: list[SlaClock], name: str) -> bool:
    return any(c.name == name for c in clocks)


def _running(clocks: list[SlaClock], name: str) -> bool:
    return any(c.name == name and c.running for c in clocks)


def _clock(profile: Profile, rule: Rule, name: str, start: datetime) -> SlaClock:
    calendar = profile.calendar(rule.params.calendar)
    duration = timedelta(hours=rule.params.hours)
    return SlaClock(name=name, rule=rule.id, started_at=start, due_at=calendar.add(start, duration),
                    reminder_at=calendar.add(start, duration * rule.params.reminder_share))


def _bugfix(rule: Rule, clocks: list[SlaClock], ticket: Ticket, message: Message) -> list[SlaClock]:
    """PS-4: counted from the customer's request (the ticket's opening), started on confirmation."""
    if rule.params.start_tag in message.tags and not _named(clocks, "bugfix"):
        window = timedelta(days=rule.params.days)
        clocks.append(SlaClock(name="bugfix", rule=rule.id, started_at=ticket.opened_at,
                               due_at=ticket.opened_at + window,
                               reminder_at=ticket.opened_at + window * rule.params.reminder_share))
    if rule.params.stop_tag in message.tags:
        clocks = [c.stopped(message.sent_at) if c.name == "bugfix" else c for c in clocks]
    return clocks


def on_close(ticket: Ticket) -> Ticket:
    """A closed ticket waits for no answer: its reply clocks pause; a bug fix is still owed."""
    return replace(ticket, sla=tuple(
        replace(c, state=ClockState.PAUSED) if c.running and c.name != "bugfix" else c
        for c in ticket.sla))


def desired_timers(profile: Profile, ticket: Ticket) -> tuple[Timer, ...]:
    """The timers the ticket wants now; versions kept for unchanged due times."""
    wanted: list[tuple[str, datetime]] = []
    max_age = profile.rule_of_type("max_age")
    if max_age and ticket.is_open:
        wanted.append((AUTO_CLOSE, ticket.opened_at + timedelta(days=max_age.params.days)))
    for clock in ticket.sla:
        if clock.running:
            if clock.reminder_at and not clock.reminded:
                wanted.append((reminder_kind(clock), clock.reminder_at))
            wanted.append((breach_kind(clock), clock.due_at))
    return tuple(_versioned(ticket, kind, due) for kind, due in wanted)


def _versioned(ticket: Ticket, kind: str, due: datetime) -> Timer:
    current = ticket.timer(kind)
    if current is not None and current.due_at == due:
        return current
    return Timer(kind=kind, due_at=due, version=ticket.version)


def with_timers(profile: Profile, ticket: Ticket) -> Ticket:
    """Recompute timers; a change leaves the schedules to sync (and the reconciler a cue)."""
    timers = desired_timers(profile, ticket)
    if set(timers) == set(ticket.timers):
        return ticket
    return replace(ticket, timers=timers, timers_synced=False)


def finish(profile: Profile, before: Ticket | None, after: Ticket) -> Ticket:
    """Last step before any ticket write: a closed ticket pauses its clocks and forgets its
    credentials (CRJ-3: deleted when the request closes); then derive its timers."""
    if (before is None or before.is_open) and not after.is_open:
        after = replace(on_close(after), holds_slot=False)
    if not after.is_open and after.vault:
        after = replace(after, vault=())
    return with_timers(profile, after)
