"""The outbox of one change: what it tells the marketplace and the seller (CONTRACT "Outbound
notices"), derived from the same Effects as the answer. Actions already in a webhook's answer
are not sent again; what a timer decides reaches the marketplace only this way."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import Order, SlaClock, Ticket, TicketStatus
from chalicelib.domain.notices import Notice, NoticeType
from chalicelib.policy.effects import Effects
from chalicelib.policy.engine import deciding as first_decisive

from .ports import OrderWrite, TicketWrite
from .views import action_view, clock_view, ticket_summary

CLOSING_TYPE = {TicketStatus.CLOSED: NoticeType.TICKET_CLOSED,
                TicketStatus.REJECTED: NoticeType.TICKET_REJECTED}
CLOCK_NOTICE = {"sla_reminder": NoticeType.SLA_REMINDER, "sla_breached": NoticeType.SLA_BREACHED}


@dataclass(frozen=True)
class Cause:
    """Why the change happened: a webhook (its answer carries the actions) or a timer."""

    kind: str  # "webhook" | "timer"
    name: str  # the event type, or the timer kind

    def view(self) -> dict[str, str]:
        if self.kind == "timer":
            return {"kind": "timer", "timer": self.name.split(":", 1)[0]}
        return {"kind": "webhook", "event": self.name}


def notices_for(effects: Effects, tickets: tuple[TicketWrite, ...], orders: tuple[OrderWrite, ...],
                cause: Cause) -> tuple[Notice, ...]:
    found: list[Notice] = []
    if cause.kind == "timer":
        found += _actions(effects, tickets, orders, cause)
    before = {u.after.id: u.before for u in effects.tickets}
    for write in tickets:
        found += _ticket_notices(before.get(write.ticket.id), write.ticket, effects, cause)
    return tuple(found)


def _actions(effects: Effects, tickets: tuple[TicketWrite, ...], orders: tuple[OrderWrite, ...],
             cause: Cause) -> list[Notice]:
    ticket = tickets[0].ticket if tickets else None
    order = orders[0].order if orders else None
    decided_by = effects.deciding.rule if effects.deciding else (
        effects.decisions[0].rule if effects.decisions else None)
    return [_action_notice(action_view(a), ticket, order, decided_by, cause)
            for a in effects.actions]


def _action_notice(action: dict[str, Any], ticket: Ticket | None, order: Order | None,
                   decided_by: str | None, cause: Cause) -> Notice:
    if ticket is not None:
        subject, marketplace, seller = ticket.id, ticket.marketplace, ticket.seller_id
        ids = {"ticket_id": ticket.id, "thread_id": ticket.thread_id}
    else:
        subject, marketplace, seller = order.subject_id, order.marketplace, order.seller_id or ""
        ids = {"ticket_id": None, "thread_id": None, "order_id": order.order_id}
    data = {"action": action, **ids, "seller_id": seller, "decided_by": decided_by,
            "cause": cause.view()}
    return Notice(NoticeType.ACTION_REQUESTED, marketplace, seller, subject, data)


def _ticket_notices(before: Ticket | None, after: Ticket, effects: Effects,
                    cause: Cause) -> list[Notice]:
    new = _new_decisions(before, after)
    found = []
    kind = _status_notice(before, after)
    if kind is not None:
        deciding = (next((d for d in new if d is effects.deciding), None)
                    or first_decisive(tuple(new)))
        found.append(_notice(kind, after, {
            "ticket": ticket_summary(after), "decided_by": deciding.rule if deciding else None,
            "decisions": [d.to_dict() for d in new], "cause": cause.view()}))
    for decision in new:
        clock_kind = CLOCK_NOTICE.get(decision.code or "")
        clock = clock_kind and _clock_of(after, decision)
        if clock:
            found.append(_notice(clock_kind, after, {
                "ticket_id": after.id, "rule": decision.rule, "clock": clock_view(clock)}))
    return found


def _status_notice(before: Ticket | None, after: Ticket) -> NoticeType | None:
    if before is not None and not before.is_open:
        return None
    if after.is_open:
        return NoticeType.TICKET_OPENED if before is None else None
    return CLOSING_TYPE[after.status]


def _new_decisions(before: Ticket | None, after: Ticket) -> list[Decision]:
    known = set(map(_key, before.decisions)) if before else set()
    return [d for d in after.decisions if _key(d) not in known]


def _key(decision: Decision) -> tuple:
    return decision.rule, decision.code, decision.reason, repr(sorted(decision.evidence.items()))


def _clock_of(ticket: Ticket, decision: Decision) -> SlaClock | None:
    name, started = decision.evidence.get("clock"), decision.evidence.get("started_at")
    return next((c for c in ticket.sla
                 if c.name == name and c.started_at.isoformat() == started), None)


def _notice(kind: NoticeType, ticket: Ticket, data: dict[str, Any]) -> Notice:
    return Notice(kind, ticket.marketplace, ticket.seller_id, ticket.id, data)
