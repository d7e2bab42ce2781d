"""How tickets look on the wire: one place, used by webhook responses and the status API."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.domain.actions import (Action, CloseThread, IssueRefund, OpenNewThread, Reply,
                                       RequestInfo)
from chalicelib.domain.model import Message, Order, SlaClock, Ticket, TicketSummary


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def ticket_summary(ticket: Ticket | TicketSummary) -> dict[str, Any]:
    if isinstance(ticket, Ticket):
        ticket = TicketSummary.of(ticket)
    return {"id": ticket.id, "thread_id": ticket.thread_id, "marketplace": ticket.marketplace,
            "seller_id": ticket.seller_id, "product_id": ticket.product_id,
            "customer_id": ticket.customer_id, "status": ticket.status.value,
            "opened_at": iso(ticket.opened_at), "closed_at": iso(ticket.closed_at),
            "close_reason": ticket.close_reason, "linked_to": ticket.linked_to,
            "message_count": ticket.message_count, "version": ticket.version,
            "credentials_shared": ticket.credentials_shared,
            "credentials": _credentials_note(ticket)}


def _credentials_note(ticket: TicketSummary) -> str | None:
    if not ticket.credentials_shared:
        return None
    held = "held encrypted until the ticket closes" if ticket.holds_credentials else "deleted"
    if ticket.credentials_not_kept:
        held += f"; {ticket.credentials_not_kept} not kept: over the vault's per-message or per-ticket bound"
    return f"credentials shared: {ticket.credentials_shared} (redacted; {held})"


def order_summary(order: Order) -> dict[str, Any]:
    latest = {}
    for payment in sorted(order.payments, key=lambda p: p.occurred_at):
        latest[payment.payment_id] = payment.status
    return {"marketplace": order.marketplace, "seller_id": order.seller_id, "order_id": order.order_id,
            "customer_id": order.customer_id, "payments": latest,
            "refunds": sorted({r.refund_id: r.state for r in order.refunds}.items()),
            "refunds_issued": list(order.refunds_issued),
            "timers": [{"kind": t.kind, "due_at": iso(t.due_at)} for t in order.timers]}


def message_view(message: Message) -> dict[str, Any]:
    return {"message_id": message.message_id, "author": message.author.value,
            "body": message.body, "sent_at": iso(message.sent_at),
            "automated": message.automated, "tags": list(message.tags)}


def ticket_detail(ticket: Ticket) -> dict[str, Any]:
    return {**ticket_summary(ticket),
            "messages": [message_view(m) for m in sorted(ticket.messages, key=lambda m: m.sent_at)],
            "decisions": [d.to_dict() for d in ticket.decisions if not d.shadow],
            "shadow_decisions": [d.to_dict() for d in ticket.decisions if d.shadow],
            "sla": [clock_view(c) for c in ticket.sla],
            "timers": [{"kind": t.kind, "due_at": iso(t.due_at)}
                       for t in sorted(ticket.timers, key=lambda t: t.due_at)]}


def clock_view(clock: SlaClock) -> dict[str, Any]:
    return {"name": clock.name, "rule": clock.rule, "started_at": iso(clock.started_at),
            "due_at": iso(clock.due_at), "state": clock.state.value,
            "stopped_at": iso(clock.stopped_at), "reminded": clock.reminded}


def action_view(action: Action) -> dict[str, Any]:
    """The contract's action shapes; the only place a typed action becomes JSON."""
    match action:
        case Reply(template=template, language=language, text=text):
            return {"type": "reply", "template": template, "language": language, "text": text}
        case CloseThread(thread_id=thread_id):
            return {"type": "close_thread", **({"thread_id": thread_id} if thread_id else {})}
        case RequestInfo(missing=missing):
            return {"type": "request_info", "missing": list(missing)}
        case OpenNewThread():
            return {"type": "open_new_thread"}
        case IssueRefund(payment_id=payment_id):
            return {"type": "refund", "payment_id": payment_id}
    raise TypeError(f"not an action: {action!r}")
