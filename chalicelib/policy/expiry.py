"""What a due timer does to a ticket: CMS-5 auto-close, SLA reminders and breaches. Pure."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import ClockState, Ticket

from . import engine
from .clocks import AUTO_CLOSE, breach_decision, breach_kind, clock_decision, reminder_kind
from .closing import close_ticket
from .effects import Effects, TicketUpdate
from .profile import Profile
from .replies import reply


def decide_timer(profile: Profile, ticket: Ticket | None, kind: str, version: int,
                 now: datetime) -> Effects:
    """Acts only if the ticket still wants this timer at this version: stale ones do nothing."""
    timer = ticket.timer(kind) if ticket else None
    if timer is None or timer.version != version:
        return Effects(ticket=ticket, note="stale timer: nothing to do")
    if kind == AUTO_CLOSE:
        return _auto_close(profile, ticket, now)
    fired, decisions = fire_clock(profile, ticket, kind)
    return Effects(tickets=(TicketUpdate(ticket, fired.with_decisions(decisions)),),
                   ticket=fired, decisions=decisions)


def fire_clock(profile: Profile, ticket: Ticket, kind: str) -> tuple[Ticket, tuple[Decision, ...]]:
    """An SLA reminder (sent once) or breach (recorded once) of a running clock."""
    for clock in ticket.sla:
        if clock.running and kind == reminder_kind(clock):
            return _replace_clock(ticket, clock, replace(clock, reminded=True)), (
                clock_decision(profile, clock, "sla_reminder",
                               f"{clock.name} SLA due at {clock.due_at.isoformat()}"),)
        if clock.running and kind == breach_kind(clock):
            return _replace_clock(ticket, clock, replace(clock, state=ClockState.BREACHED)), (
                breach_decision(profile, clock),)
    return ticket, ()


def _auto_close(profile: Profile, ticket: Ticket, now: datetime) -> Effects:
    """CMS-5: an issue lives at most N days, then it is closed automatically."""
    rule = profile.rule_of_type("max_age")
    if rule is None or not ticket.is_open:
        return Effects(ticket=ticket, note="nothing to close")
    decision = Decision(rule=rule.id, outcome="close", code="expired", policy=profile.ref,
                        reason=f"the issue reached its maximum age of {rule.params.days:g} days",
                        evidence={"opened_at": ticket.opened_at.isoformat(),
                                  "max_days": rule.params.days})
    closing = close_ticket(profile, ticket.with_decisions((decision,)), now, "expired")
    told = reply(decision, profile.reply_languages[0])
    return Effects(tickets=(TicketUpdate(ticket, closing.ticket),), ticket=closing.ticket,
                   slots=closing.slots, decisions=(decision,) + closing.breaches,
                   deciding=engine.deciding((decision,)),
                   actions=tuple(a for a in (told, closing.action) if a))


def _replace_clock(ticket: Ticket, old, new) -> Ticket:
    return replace(ticket, sla=tuple(new if c is old else c for c in ticket.sla))
