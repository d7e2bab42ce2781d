"""The one place that turns decided Effects into the store's Change: versions, clocks and
timers (clocks.prepare), vault items, the answer and the outbox notices."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from chalicelib.domain.events import Delivery
from chalicelib.domain.model import SealedCredential
from chalicelib.policy import clocks
from chalicelib.policy.effects import Effects, TicketUpdate
from chalicelib.policy.profile import Profile

from .notices import Cause, notices_for
from .ports import Change, OrderWrite, TicketWrite
from .views import action_view, order_summary, ticket_summary


class ClosingInvariantError(RuntimeError):
    """A ticket left `open` without going through policy.closing.close_ticket."""


def assemble(delivery: Delivery, effects: Effects, profile: Profile | None, now: datetime, *,
             cause: Cause, sealed: tuple[SealedCredential, ...] = ()) -> Change:
    check_closes(effects)
    tickets = tuple(_ticket_write(profile, u, sealed) for u in effects.tickets)
    orders = tuple(OrderWrite.replacing(u.before, u.after) for u in effects.orders)
    written = {w.ticket.id: w.ticket for w in tickets}
    ticket = effects.ticket and written.get(effects.ticket.id, effects.ticket)
    order = orders[0].order if orders else effects.order
    return Change(delivery=delivery, response=answer(delivery, effects, ticket, order),
                  recorded_at=now, tickets=tickets, slots=effects.slots, orders=orders,
                  early_closes=effects.early_closes,
                  notices=notices_for(effects, tickets, orders, cause))


def check_closes(effects: Effects) -> None:
    """Every ticket that leaves `open` holds no credentials and gives up its slot."""
    for update in effects.tickets:
        before, after = update.before, update.after
        if after.is_open or (before is not None and not before.is_open):
            continue
        if after.vault or after.holds_slot:
            raise ClosingInvariantError(f"{after.id} closed without close_ticket")
        held = before is not None and before.holds_slot
        if held and not any(s.expected == before.id for s in effects.slots):
            raise ClosingInvariantError(f"{after.id} closed without releasing its slot")


def _ticket_write(profile: Profile, update: TicketUpdate,
                  sealed: tuple[SealedCredential, ...]) -> TicketWrite:
    if update.before is None:
        write = TicketWrite.creating(update.after, update.new_messages, update.replaces)
    else:
        write = TicketWrite.replacing(update.before, update.after, update.new_messages)
    messages = {m.message_id for m in update.new_messages}
    ours = tuple(s for s in sealed if _message_of(s) in messages)
    return replace(write, ticket=clocks.prepare(profile, write.ticket), sealed=ours)


def _message_of(sealed: SealedCredential) -> str:
    """A vault item is named by its message (one bundle per message; older: `<id>#<n>`)."""
    entry = sealed.ref.entry_id
    return entry if sealed.ref.kind == "bundle" else entry.rpartition("#")[0]


def answer(delivery: Delivery, effects: Effects, ticket, order) -> dict[str, Any]:
    """The webhook's answer, stored with its delivery record and returned to every replay."""
    deciding = effects.deciding
    response: dict[str, Any] = {
        "event_id": delivery.webhook_id, "type": delivery.event_type,
        "ticket": ticket_summary(ticket) if ticket else None,
        **({"order": order_summary(order)} if order else {}),
        "decisions": [{**d.to_dict(), "deciding": d is deciding} for d in effects.decisions],
        "decided_by": deciding.rule if deciding else None,
        "actions": [action_view(a) for a in effects.actions]}
    if effects.note:
        response["note"] = effects.note
    return response
