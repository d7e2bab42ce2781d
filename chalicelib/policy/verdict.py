"""From ordered decisions to the ticket's fate and the actions the marketplace should take."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.actions import Action, CloseThread, OpenNewThread, RequestInfo
from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import SlotWrite, Ticket, TicketStatus

from .closing import close_ticket
from .engine import deciding
from .profile import Profile
from .replies import reply


@dataclass(frozen=True)
class Verdict:
    ticket: Ticket
    decisions: tuple[Decision, ...]  # the rules' decisions, then breaches a close recorded
    deciding: Decision | None
    actions: tuple[Action, ...]
    slots: tuple[SlotWrite, ...] = ()


def fate(decision: Decision | None, opening: bool, ticket: Ticket) -> TicketStatus | None:
    """The status a decision gives the ticket; None leaves it as it is."""
    if decision is None or not ticket.is_open:
        return None
    if decision.outcome == "reject" and (opening or decision.evidence.get("flagged")):
        return TicketStatus.REJECTED
    if decision.outcome == "close" or (decision.outcome == "redirect" and opening):
        return TicketStatus.CLOSED
    return None


def settle(profile: Profile, ticket: Ticket, decisions: tuple[Decision, ...], *, opening: bool,
           now: datetime, language: str) -> Verdict:
    chosen = deciding(decisions)
    status = fate(chosen, opening, ticket)
    updated = ticket.with_decisions(decisions)
    actions = actions_for(chosen, status, language)
    if status is None:
        return Verdict(updated, decisions, chosen, actions)
    closing = close_ticket(profile, updated, now, chosen.code or chosen.outcome, status=status,
                           linked_to=chosen.evidence.get("kept_ticket"))
    return Verdict(closing.ticket, decisions + closing.breaches, chosen, actions, closing.slots)


def actions_for(chosen: Decision | None, status: TicketStatus | None,
                language: str) -> tuple[Action, ...]:
    if chosen is None:
        return ()
    actions: list[Action] = [a for a in (reply(chosen, language),) if a]
    if chosen.outcome == "request_info":
        actions.append(RequestInfo(tuple(chosen.evidence.get("missing", []))))
    if chosen.code == "closed_no_reopen":
        actions.append(OpenNewThread())
    if status is not None:
        actions.append(CloseThread())  # the webhook's own thread
    return tuple(actions)
