"""What a due timer does to a ticket: CMS-5 auto-close, SLA reminders and breaches. Pure."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import ClockState, Ticket

from .clocks import AUTO_CLOSE, breach_decision, breach_kind, clock_decision, reminder_kind
from .profile import Profile


def fire(profile: Profile, ticket: Ticket, kind: str, now: datetime) -> tuple[Ticket, tuple[Decision, ...]]:
    """Apply timer `kind` (already checked to be current) and say why."""
    if kind == AUTO_CLOSE:
        return _auto_close(profile, ticket, now)
    for clock in ticket.sla:
        if clock.running and kind == reminder_kind(clock):
            return _replace_clock(ticket, clock, replace(clock, reminded=True)), (
                clock_decision(profile, clock, "sla_reminder",
                               f"{clock.name} SLA due at {clock.due_at.isoformat()}"),)
        if clock.running and kind == breach_kind(clock):
            return _replace_clock(ticket, clock, replace(clock, state=ClockState.BREACHED)), (
                breach_decision(profile, clock),)
    return ticket, ()


def _auto_close(profile: Profile, ticket: Ticket, now: datetime) -> tuple[Ticket, tuple[Decision, ...]]:
    """CMS-5: an issue lives at most N days, then it is closed automatically."""
    rule = profile.rule_of_type("max_age")
    if rule is None or not ticket.is_open:
        return ticket, ()
    decision = Decision(rule=rule.id, outcome="close", code="expired", policy=profile.ref,
                        reason=f"the issue reached its maximum age of {rule.params.days:g} days",
                        evidence={"opened_at": ticket.opened_at.isoformat(),
                                  "max_days": rule.params.days})
    return ticket.closed(now, "expired"), (decision,)


def _replace_clock(ticket: Ticket, old, new) -> Ticket:
    return replace(ticket, sla=tuple(new if c is old else c for c in ticket.sla))

