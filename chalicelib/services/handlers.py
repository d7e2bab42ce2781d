"""Load -> evaluate -> commit -> sync timers, one handler per event type, retried on conflicts."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Callable

from chalicelib.domain import events
from chalicelib.domain.errors import (AlreadyAppliedError, ConcurrencyError, DeliveryConflictError,
                                      DependencyError, SlotTakenError)
from chalicelib.domain.model import (Author, EarlyClose, Message, Ticket, TicketStatus,
                                     parse_order_subject, ticket_id_for)
from chalicelib.domain.ownership import check_same_thread
from chalicelib.policy import engine, expiry
from chalicelib.policy.rules.open_tickets import SlotHolder

from . import open_slot
from .plans import Plan, added_decisions
from .credentials import CredentialKeeper
from .orders import OrderService
from .policy import PolicyService
from .ports import Change, TicketStore, TicketWrite
from .timer_sync import TimerSync
from .views import order_summary, ticket_summary

MAX_ATTEMPTS = 25


@dataclass(frozen=True)
class Outcome:
    response: dict[str, Any]
    duplicate: bool = False

    def body(self) -> dict[str, Any]:
        return {**self.response, "duplicate": self.duplicate}


@dataclass
class WebhookHandlers:
    store: TicketStore
    policy: PolicyService
    orders: OrderService
    timer_sync: TimerSync
    keeper: CredentialKeeper
    sleep: Callable[[float], None] = time.sleep
    handlers: dict[type, Callable] = field(init=False)

    def __post_init__(self) -> None:
        self.handlers = {events.MessageCreated: self._message_created,
                         events.ThreadClosed: self._thread_closed,
                         events.PaymentUpdated: self._payment_updated,
                         events.RefundRequested: self._refund,
                         events.RefundCompleted: self._refund,
                         events.TimerFired: self._timer_fired}

    def handle(self, delivery: events.Delivery, event: events.Event, now: datetime) -> Outcome:
        holder: SlotHolder | None = None
        for attempt in range(MAX_ATTEMPTS):
            change = _change(delivery, self.handlers[type(event)](delivery.marketplace, event, now, holder), now)
            try:
                self.store.commit(change)
            except AlreadyAppliedError as exc:
                if exc.body_hash != delivery.body_hash:
                    raise DeliveryConflictError("webhook-id already used with a different body") from exc
                return Outcome(exc.response, duplicate=True)
            except SlotTakenError as exc:
                holder = SlotHolder(exc.ticket_id, exc.opened_key)
                continue
            except ConcurrencyError:
                holder = None
                self.sleep(random.uniform(0, 0.005 * min(attempt, 10)))
                continue
            self.timer_sync.after_commit(change)
            return Outcome(change.response)
        raise DependencyError("too many concurrent changes; retry the delivery")

    def _message_created(self, marketplace: str, event: events.MessageCreated, now: datetime,
                         holder: SlotHolder | None) -> Plan:
        ticket_id = ticket_id_for(marketplace, event.thread_id)
        ticket, early_close = self.store.load_thread(ticket_id)
        check_same_thread(ticket, seller_id=event.seller_id, customer_id=event.customer_id, product_id=event.product_id)
        if ticket is not None and ticket.has_message(event.message.message_id):
            return Plan(ticket=ticket, note="message already recorded")
        protected = self.keeper.protect(ticket, ticket_id, event.message)
        message, sealed = protected.message, protected.sealed
        event = replace(event, message=message)
        if ticket is None:
            fresh = protected.applied_to(self._new_ticket(marketplace, event))
            return _with_sealed(self.policy.on_open(None, fresh, event, now, holder, early_close),
                                sealed)
        updated = protected.applied_to(replace(ticket.with_message(message), version=ticket.version + 1))
        if _opens(ticket, message):
            updated = replace(updated, opened_at=min(ticket.opened_at, message.sent_at))
            return _with_sealed(self.policy.on_open(ticket, updated, event, now, holder), sealed)
        return _with_sealed(self.policy.on_message(ticket, updated, event, now), sealed)

    @staticmethod
    def _new_ticket(marketplace: str, event: events.MessageCreated) -> Ticket:
        return Ticket(
            id=ticket_id_for(marketplace, event.thread_id), marketplace=marketplace,
            thread_id=event.thread_id, seller_id=event.seller_id, product_id=event.product_id,
            customer_id=event.customer_id, status=TicketStatus.OPEN,
            opened_at=event.message.sent_at, version=1, shop_url=event.message.shop_url,
            messages=(event.message,))

    def _thread_closed(self, marketplace: str, event: events.ThreadClosed, now: datetime,
                       holder: SlotHolder | None) -> Plan:
        ticket_id = ticket_id_for(marketplace, event.thread_id)
        ticket, early_close = self.store.load_thread(ticket_id)
        if early_close is not None:
            return Plan(note="thread already closed before its first message")
        if ticket is None:
            early = EarlyClose(ticket_id, event.closed_at, event.closed_by)
            return Plan(early_closes=(early,),
                        note="thread closed before its first message: its ticket will open closed")
        if not ticket.is_open:
            return Plan(ticket=ticket, note="ticket already closed")
        closed = replace(ticket.closed(event.closed_at, "thread_closed"), version=ticket.version + 1)
        closed = self.policy.finish(ticket, closed)
        decisions = added_decisions(ticket, closed)
        return Plan(tickets=(TicketWrite.replacing(ticket, closed),), ticket=closed,
                    slots=open_slot.release(ticket), decisions=decisions,
                    deciding=engine.deciding(decisions))

    def _timer_fired(self, marketplace: str, event: events.TimerFired, now: datetime,
                     holder: SlotHolder | None) -> Plan:
        """Acts only if the subject still wants this timer at this version: stale ones do nothing."""
        order = parse_order_subject(event.subject_id)
        if order:
            return self.orders.on_timer(*order, event, now)
        ticket = self.store.load_ticket(event.subject_id)
        timer = ticket.timer(event.kind) if ticket else None
        if timer is None or timer.version != event.version:
            return Plan(ticket=ticket, note="stale timer: nothing to do")
        profile = self.policy.profile_for(ticket.marketplace, ticket.seller_id)
        fired, decisions = expiry.fire(profile, ticket, event.kind, now)
        fired = replace(fired.with_decisions(decisions), version=ticket.version + 1)
        fired = self.policy.finish(ticket, fired)
        decisions = added_decisions(ticket, fired)
        slots = open_slot.release(ticket) if ticket.is_open and not fired.is_open else ()
        return Plan(tickets=(TicketWrite.replacing(ticket, fired),), ticket=fired, slots=slots,
                    decisions=decisions, deciding=engine.deciding(decisions))

    def _payment_updated(self, marketplace: str, event: events.PaymentUpdated, now: datetime,
                         holder: SlotHolder | None) -> Plan:
        return self.orders.on_payment(marketplace, event, now)

    def _refund(self, marketplace: str, event, now: datetime, holder: SlotHolder | None) -> Plan:
        return self.orders.on_refund(marketplace, event, now)


def _opens(ticket: Ticket, message: Message) -> bool:
    """The customer's first message opens the ticket, even if a seller message overtook it."""
    return message.author is Author.CUSTOMER and ticket.is_open and not ticket.heard_customer


def _with_sealed(plan: Plan, sealed) -> Plan:
    """The vault items travel with the ticket's own write (the first of the plan)."""
    if not sealed:
        return plan
    first = replace(plan.tickets[0], sealed=sealed)
    return replace(plan, tickets=(first,) + plan.tickets[1:])


def _change(delivery: events.Delivery, plan: Plan, now: datetime) -> Change:
    response: dict[str, Any] = {
        "event_id": delivery.webhook_id, "type": delivery.event_type,
        "ticket": ticket_summary(plan.ticket) if plan.ticket else None,
        **({"order": order_summary(plan.order)} if plan.order else {}),
        "decisions": [{**d.to_dict(), "deciding": d is plan.deciding} for d in plan.decisions],
        "decided_by": plan.deciding.rule if plan.deciding else None,
        "actions": [a.to_dict() for a in plan.actions]}
    if plan.note:
        response["note"] = plan.note
    return Change(delivery=delivery, response=response, recorded_at=now, tickets=plan.tickets,
                  slots=plan.slots, orders=plan.orders, early_closes=plan.early_closes)
