"""From ordered decisions to the ticket's fate and the actions the marketplace should take."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.decisions import Action, Decision
from chalicelib.domain.model import Ticket, TicketStatus

from .engine import deciding
from .replies import reply


@dataclass(frozen=True)
class Verdict:
    ticket: Ticket
    decisions: tuple[Decision, ...]
    deciding: Decision | None
    actions: tuple[Action, ...]


def fate(decision: Decision | None, opening: bool, ticket: Ticket) -> TicketStatus | None:
    """The status a decision gives the ticket; None leaves it as it is."""
    if decision is None or not ticket.is_open:
        return None
    if decision.outcome == "reject" and (opening or decision.evidence.get("flagged")):
        return TicketStatus.REJECTED
    if decision.outcome == "close" or (decision.outcome == "redirect" and opening):
        return TicketStatus.CLOSED
    return None


def settle(ticket: Ticket, decisions: tuple[Decision, ...], *, opening: bool, now: datetime,
           language: str) -> Verdict:
    chosen = deciding(decisions)
    status = fate(chosen, opening, ticket)
    updated = ticket.with_decisions(decisions)
    if status is not None:
        updated = replace(updated.closed(now, chosen.code or chosen.outcome, status),
                          linked_to=chosen.evidence.get("kept_ticket"))
    return Verdict(ticket=updated, decisions=decisions, deciding=chosen,
                   actions=actions_for(chosen, status, language))


def actions_for(chosen: Decision | None, status: TicketStatus | None, language: str) -> tuple[Action, ...]:
    if chosen is None:
        return ()
    actions = [a for a in (reply(chosen, language),) if a]
    if chosen.outcome == "request_info":
        actions.append(Action("request_info", {"missing": chosen.evidence.get("missing", [])}))
    if chosen.code == "closed_no_reopen":
        actions.append(Action("open_new_thread", {}))
    if status is not None:
        actions.append(Action("close_thread", {}))
    return tuple(actions)
