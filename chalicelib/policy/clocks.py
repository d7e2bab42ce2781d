"""SLA clocks and the timers a ticket wants: pure functions of the profile and the ticket.

Clocks start and stop on messages; timers are derived from the open ticket and its running
clocks. A timer keeps its version while its due time is unchanged, so a timer that fires for
a due time the ticket no longer wants is recognised as stale and does nothing.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import (Author, ClockState, Message, SlaClock, Ticket, TicketStatus,
                                     Timer)

from .profile import Profile, Rule

AUTO_CLOSE = "auto_close"
BUGFIX_DEADLINE = "bugfix_deadline"


def reminder_kind(clock: SlaClock) -> str:
    return f"sla_reminder:{clock.name}"


def breach_kind(clock: SlaClock) -> str:
    return BUGFIX_DEADLINE if clock.name == "bugfix" else f"sla_breach:{clock.name}"


Clocked = tuple[Ticket, tuple[Decision, ...]]  # the ticket, and the breaches it now records


def after_message(profile: Profile, ticket: Ticket, message: Message) -> Clocked:
    """Clocks after `message` (already on the ticket). A message delivered after a later one,
    or after the close, replays every message in sent order: the clocks are those of an
    in-order delivery, except what timers and the close already recorded."""
    if ticket.is_open and all(m.sent_at <= message.sent_at for m in ticket.messages):
        return on_message(profile, ticket, message)
    return _replayed(profile, ticket)


def _replayed(profile: Profile, ticket: Ticket) -> Clocked:
    closed_at = None if ticket.is_open else ticket.closed_at
    state = replace(ticket, sla=(), status=TicketStatus.OPEN, decisions=())
    for message in sorted(ticket.messages, key=lambda m: (m.sent_at, m.message_id)):
        if closed_at is not None and message.sent_at > closed_at:
            state = _shut(state, closed_at)
        state = on_message(profile, state, message)[0]
    if closed_at is not None:
        state = _shut(state, closed_at)
    done = {(c.name, c.started_at): c for c in ticket.sla}
    sla = tuple(_keep_fired(c, done.get((c.name, c.started_at))) for c in state.sla)
    breached = tuple(breach_decision(profile, c) for c in sla if _newly_breached(c, done))
    return replace(ticket, sla=sla).with_decisions(breached), breached


def _shut(ticket: Ticket, at: datetime) -> Ticket:
    if not ticket.is_open:
        return ticket
    return replace(ticket, status=TicketStatus.CLOSED, sla=_closing(ticket.sla, at))


def _keep_fired(clock: SlaClock, before: SlaClock | None) -> SlaClock:
    """A reminder sent stays sent; a breach already recorded stays a breach."""
    if before is None:
        return clock
    if before.state is ClockState.BREACHED:
        return before
    return replace(clock, reminded=clock.reminded or before.reminded)


def _newly_breached(clock: SlaClock, before: dict) -> bool:
    """Breached in the replay (stopped late, or past due at the close) and not yet recorded."""
    old = before.get((clock.name, clock.started_at))
    recorded = old is not None and old.state is ClockState.BREACHED
    return clock.state is ClockState.BREACHED and not recorded


def on_message(profile: Profile, ticket: Ticket, message: Message) -> Clocked:
    """Start or stop the clocks this message concerns; one stopped past its due time is a
    breach, recorded now (its timer, late, would find nothing to do)."""
    clocks = list(ticket.sla)
    if ticket.is_open:  # a closed ticket waits for no answer; a bug fix is still owed
        clocks = _reply_clocks(profile, clocks, message)
    bugfix = profile.rule_of_type("bugfix_deadline")
    if bugfix and message.author is Author.SELLER:
        clocks = _bugfix(bugfix, clocks, ticket, message)
    return _with_breaches(profile, ticket, tuple(clocks))


def _reply_clocks(profile: Profile, clocks: list[SlaClock], message: Message) -> list[SlaClock]:
    if message.author is Author.SELLER and not message.automated:
        clocks = [c.stopped(message.sent_at) if c.name in ("first_response", "reply") else c
                  for c in clocks]
    first = profile.rule_of_type("first_response_sla")
    if first and message.author is Author.CUSTOMER and not _named(clocks, "first_response"):
        clocks.append(_clock(profile, first, "first_response", message.sent_at))
    reply = profile.rule_of_type("reply_sla")
    if reply and message.author is Author.CUSTOMER and not _running(clocks, "reply"):
        clocks.append(_clock(profile, reply, "reply", message.sent_at))
    return clocks


def _with_breaches(profile: Profile, ticket: Ticket, sla: tuple[SlaClock, ...]) -> Clocked:
    """`ticket` with clocks `sla` (same order, maybe more): each clock they breach is recorded."""
    breached = tuple(breach_decision(profile, new) for old, new in zip(ticket.sla, sla)
                     if old.running and new.state is ClockState.BREACHED)
    return replace(ticket, sla=sla).with_decisions(breached), breached


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


def on_close(profile: Profile, ticket: Ticket) -> Clocked:
    """A closed ticket waits for no answer: its reply clocks pause, except one already past due
    at the close, which is breached now (its timer's firing may come late and find it stale)."""
    return _with_breaches(profile, ticket, _closing(ticket.sla, ticket.closed_at))


def _closing(sla: tuple[SlaClock, ...], at: datetime | None) -> tuple[SlaClock, ...]:
    """Running reply clocks at a close: breached if past due, else paused; a bug fix stays owed."""
    def closed(c: SlaClock) -> SlaClock:
        if not c.running or c.name == "bugfix":
            return c
        if at is not None and at > c.due_at:
            return c.stopped(at)
        return replace(c, state=ClockState.PAUSED)
    return tuple(closed(c) for c in sla)


def breach_decision(profile: Profile, clock: SlaClock) -> Decision:
    return clock_decision(profile, clock, "sla_breached", f"{clock.name} SLA breached")


def clock_decision(profile: Profile, clock: SlaClock, code: str, reason: str) -> Decision:
    return Decision(rule=clock.rule, outcome="flag", code=code, reason=reason, policy=profile.ref,
                    evidence={"clock": clock.name, "started_at": clock.started_at.isoformat(),
                              "due_at": clock.due_at.isoformat()})


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
    """Recompute timers; the write that saves a change leaves the schedules a cue to sync."""
    timers = desired_timers(profile, ticket)
    if set(timers) == set(ticket.timers):
        return ticket
    return replace(ticket, timers=timers)


def prepare(profile: Profile, ticket: Ticket) -> Ticket:
    """Last step before any ticket write (services/assemble.py alone calls it): a ticket that
    is not open holds no credentials (CRJ-3), then its timers are derived."""
    if not ticket.is_open and ticket.vault:
        ticket = replace(ticket, vault=())
    return with_timers(profile, ticket)
