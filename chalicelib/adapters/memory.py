"""In-memory store and directory: same contract as the DynamoDB ones, for tests and simulations."""
from __future__ import annotations

import bisect
import logging
import threading
from datetime import datetime
from typing import Callable

from chalicelib.domain.errors import (AlreadyAppliedError, ConcurrencyError, RequestRejectedError,
                                      SlotTakenError)
from chalicelib.domain.model import (EarlyClose, Marketplace, Order, SealedCredential, Seller,
                                     Ticket, TicketSummary)
from chalicelib.domain.outbound import StoredNotice
from chalicelib.services.outbox import stored_notices
from chalicelib.services.cursors import decode_cursor, encode_cursor
from chalicelib.services.ports import (Change, OrderRead, SlotWrite, TicketEntry, TicketPage,
                                       TicketQuery)
from chalicelib.services.timer_sync import TimersChanged

logger = logging.getLogger("ticketwarden.store")


MAX_TRANSACTION_ITEMS = 100  # DynamoDB's TransactWriteItems limit, kept by the fake too


def _item_count(change: Change) -> int:
    """As many items as the DynamoDB store writes for this change."""
    tickets = sum(1 + len(w.new_messages) + len(w.vault_puts()) + len(w.vault_deletes())
                  for w in change.tickets)
    outbox = len({n.subject_id for n in change.notices})  # one outbox item per subject
    summaries = len({(w.order.seller_id, w.order.customer_id) for w in change.orders
                     if w.order.seller_id and w.order.customer_id})  # one per customer
    digests = len({(w.ticket.seller_id, w.ticket.customer_id) for w in change.tickets
                   if w.digest_entry() is not None})  # one per customer's ticket digest
    return (1 + len(change.slots) + tickets + len(change.orders) + summaries + digests
            + len(change.early_closes) + outbox)


def _order_key(order: Order) -> tuple[str, str, str]:
    return (order.marketplace, order.seller_id or "", order.order_id)


def _slot_key(slot: SlotWrite) -> tuple[str, str, str]:
    return (slot.marketplace, slot.seller_id, slot.customer_id)


class InMemoryTicketStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.tickets: dict[str, Ticket] = {}
        self._summaries: dict[str, TicketSummary] = {}  # what GSI1 and GSI3 project
        self.deliveries: dict[tuple[str, str], tuple[str, dict]] = {}
        self.slots: dict[tuple[str, str, str], tuple[str, str]] = {}
        self.orders: dict[tuple[str, str, str], Order] = {}  # (marketplace, seller, order id)
        self.vault: dict[tuple[str, str], SealedCredential] = {}
        self.early_closes: dict[str, EarlyClose] = {}
        self._open: dict[str, set[str]] = {}  # seller -> open ticket ids (the sparse index)
        self._opened: dict[str, list[tuple[datetime, str]]] = {}  # seller -> sorted (opened_at, id)
        self._active: dict[str, list[tuple[datetime, tuple[str, str, str]]]] = {}  # seller -> sorted
                                                  # (active_until, order key): GSI3 ORDERS#<seller>
        self._by_customer: dict[tuple[str, str], set[tuple[str, str, str]]] = {}  # GSI1 ORDERS#
        self.outbox: list[list[StoredNotice]] = []  # commit order: what the table's stream carries
        self._timer_consumer: Callable[[list[TimersChanged]], object] | None = None
        self._cued: dict[str, int] = {}  # subject -> version written with the sync cue (GSI2)

    def companion_outbound(self):
        """A fresh in-memory outbound store (bootstrap's default next to this store)."""
        from .memory_outbound import InMemoryOutboundStore
        return InMemoryOutboundStore()

    def stream_to(self, consumer: Callable[[list[TimersChanged]], object] | None) -> None:
        """The stream's timer records go to `consumer` right after each commit (on AWS the
        stream consumer gets them a moment later); None: they go nowhere, a lost stream."""
        self._timer_consumer = consumer

    def outbox_after(self, position: int) -> list[list[StoredNotice]]:
        """The in-memory stream: each committed change's notices from `position` on."""
        with self._lock:
            return list(self.outbox[position:])

    def load_ticket(self, ticket_id: str) -> Ticket | None:
        return self.load_thread(ticket_id)[0]

    def load_thread(self, ticket_id: str) -> tuple[Ticket | None, EarlyClose | None]:
        with self._lock:
            return self.tickets.get(ticket_id), self.early_closes.get(ticket_id)

    def load_thread_and_orders(self, ticket_id: str, seller_id: str, customer_id: str
                               ) -> tuple[Ticket | None, EarlyClose | None, list[Order]]:
        return (*self.load_thread(ticket_id), self.orders_for_customer(seller_id, customer_id))

    def commit(self, change: Change) -> None:
        if _item_count(change) > MAX_TRANSACTION_ITEMS:
            raise RequestRejectedError(f"a transaction holds at most {MAX_TRANSACTION_ITEMS} items")
        with self._lock:
            notices = stored_notices(change)  # a bad outbox fails before anything is applied
            self._check(change)
            records = self._cue(change)
            self._apply(change)
            if notices:
                self.outbox.append(notices)
        if records and self._timer_consumer is not None:
            try:
                self._timer_consumer(records)
            except Exception:  # noqa: BLE001 - the consumer failing never undoes the commit
                logger.exception("timer stream consumer failed; the cue stays")

    def _check(self, change: Change) -> None:
        delivery = change.delivery
        stored = self.deliveries.get((delivery.marketplace, delivery.webhook_id))
        if stored:
            raise AlreadyAppliedError(response=stored[1], body_hash=stored[0])
        for slot in change.slots:
            held = self.slots.get(_slot_key(slot))
            if (held[0] if held else None) != slot.expected:
                raise SlotTakenError(*held) if held else ConcurrencyError("open slot was released")
        for write in change.tickets:
            if self._head_version(write.ticket.id) != write.expected_version:
                raise ConcurrencyError(f"ticket {write.ticket.id} moved on")
        for early in change.early_closes:
            if self._head_version(early.ticket_id) is not None:
                raise ConcurrencyError(f"ticket {early.ticket_id} moved on")
        for write in change.orders:
            current = self.orders.get(_order_key(write.order))
            if (current.version if current else None) != write.expected_version:
                raise ConcurrencyError(f"order {write.order.order_id} moved on")

    def _cue(self, change: Change) -> list[TimersChanged]:
        """As the table does: a write whose timers changed sets the cue, any other keeps the
        stored one; what the stream then carries for each subject that has it."""
        subjects = [(w.ticket.id, w.ticket, w) for w in change.tickets]
        subjects += [(w.order.subject_id, w.order, w) for w in change.orders]
        records = []
        for subject_id, state, write in subjects:
            cued_before = subject_id in self._cued and write.expected_version is not None
            if write.timers_changed or cued_before:
                self._cued[subject_id] = state.version
                records.append(TimersChanged(subject_id, state.timers, state.version,
                                             tuple(t.kind for t in write.previous_timers),
                                             previous_synced=not cued_before))
        return records

    def _head_version(self, ticket_id: str) -> int | None:
        """The ticket and an early close share one place, as in the table."""
        head = self.tickets.get(ticket_id) or self.early_closes.get(ticket_id)
        return head.version if head else None

    def _apply(self, change: Change) -> None:
        delivery = change.delivery
        self.deliveries[(delivery.marketplace, delivery.webhook_id)] = (delivery.body_hash, change.response)
        for slot in change.slots:
            if slot.ticket_id is None:
                self.slots.pop(_slot_key(slot), None)
            else:
                self.slots[_slot_key(slot)] = (slot.ticket_id, slot.opened_key)
        for early in change.early_closes:
            self.early_closes[early.ticket_id] = early
        for write in change.tickets:
            self._index(write.ticket)
            self.tickets[write.ticket.id] = write.ticket
            self._summaries[write.ticket.id] = TicketSummary.of(write.ticket)
            self.early_closes.pop(write.ticket.id, None)
            for sealed in write.vault_puts():
                self.vault[(write.ticket.id, sealed.ref.entry_id)] = sealed
            for entry_id in write.vault_deletes():
                self.vault.pop((write.ticket.id, entry_id), None)
        for write in change.orders:
            key = _order_key(write.order)
            self._index_order(self.orders.get(key), write.order, key)
            self.orders[key] = write.order
            if write.order.customer_id:
                self._by_customer.setdefault((write.order.seller_id or "", write.order.customer_id),
                                             set()).add(key)

    def _index(self, ticket: Ticket) -> None:
        """What GSI1 and GSI3 give the DynamoDB store: tickets by opening time, open ones apart."""
        if ticket.id not in self.tickets:
            bisect.insort(self._opened.setdefault(ticket.seller_id, []),
                          (ticket.opened_at, ticket.id))
        open_ids = self._open.setdefault(ticket.seller_id, set())
        (open_ids.add if ticket.is_open else open_ids.discard)(ticket.id)

    def _index_order(self, old: Order | None, new: Order, key: tuple[str, str, str]) -> None:
        for order, place in ((old, False), (new, True)):
            if order is None or not order.seller_id or order.active_until is None:
                continue
            entries = self._active.setdefault(order.seller_id, [])
            entry = (order.active_until, key)
            if place:
                bisect.insort(entries, entry)
            else:
                at = bisect.bisect_left(entries, entry)
                if at < len(entries) and entries[at] == entry:
                    del entries[at]

    def open_tickets(self, seller_id: str, limit: int) -> list[TicketSummary]:
        with self._lock:
            found = [self._summaries[i] for i in self._open.get(seller_id, ())]
        return sorted(found, key=lambda t: (t.opened_at, t.id))[:limit]

    def tickets_opened_since(self, seller_id: str, since: datetime, limit: int
                             ) -> list[TicketSummary]:
        with self._lock:
            opened = self._opened.get(seller_id, [])
            first = bisect.bisect_left(opened, (since, ""))
            recent = opened[max(first, len(opened) - limit):]
            return [self._summaries[i] for _, i in reversed(recent)]

    def seller_orders(self, seller_id: str, active_since: datetime, limit: int) -> list[Order]:
        with self._lock:
            entries = self._active.get(seller_id, [])
            first = bisect.bisect_left(entries, (active_since, ("", "", "")))
            return [self.orders[key] for _, key in entries[first:first + limit]]

    def list_tickets(self, query: TicketQuery) -> TicketPage:
        with self._lock:
            mine = [t for t in self._summaries.values() if t.seller_id == query.seller_id]
        mine.sort(key=lambda t: (t.opened_at.isoformat(), t.id), reverse=True)
        if query.cursor:
            after = decode_cursor(query.cursor)
            mine = [t for t in mine if (t.opened_at.isoformat(), t.id) < (after.get("o", ""), after.get("i", ""))]
        matching = [t for t in mine if _matches(t, query)]
        page = matching[: query.limit]
        more = len(matching) > query.limit
        cursor = encode_cursor({"o": page[-1].opened_at.isoformat(), "i": page[-1].id}) if more else None
        return TicketPage(items=page, next_cursor=cursor)

    def load_vault(self, ticket_id: str) -> list[SealedCredential]:
        with self._lock:
            return [s for (t, _), s in sorted(self.vault.items()) if t == ticket_id]

    def count_vault_items(self) -> int:
        with self._lock:
            return len(self.vault)

    def load_order(self, marketplace: str, seller_id: str, order_id: str) -> Order | None:
        with self._lock:
            return self.orders.get((marketplace, seller_id, order_id))

    def orders_with_id(self, marketplace: str, order_id: str) -> list[Order]:
        with self._lock:
            return [o for (m, _, i), o in sorted(self.orders.items()) if (m, i) == (marketplace, order_id)]

    def load_order_read(self, marketplace: str, order_id: str,
                        customer_id: str | None = None) -> OrderRead:
        orders = self.orders_with_id(marketplace, order_id)
        return OrderRead(orders, None if customer_id is None else self._digests(customer_id))

    def customer_tickets(self, seller_id: str, customer_id: str) -> tuple[TicketEntry, ...]:
        return self._digests(customer_id).get(seller_id, ())

    def _digests(self, customer_id: str) -> dict[str, tuple[TicketEntry, ...]]:
        """The customer's tickets by seller, as DynamoDB's ticket digests hold them."""
        with self._lock:
            mine = sorted((t for t in self.tickets.values() if t.customer_id == customer_id),
                          key=lambda t: t.id)
        by_seller: dict[str, list[TicketEntry]] = {}
        for ticket in mine:
            by_seller.setdefault(ticket.seller_id, []).append(TicketEntry.of(ticket))
        return {s: tuple(e) for s, e in by_seller.items()}

    def orders_for_customer(self, seller_id: str, customer_id: str) -> list[Order]:
        with self._lock:
            keys = self._by_customer.get((seller_id, customer_id), ())
            found = [o for o in map(self.orders.__getitem__, keys)
                     if o.customer_id == customer_id and o.seller_id == seller_id]
        found.sort(key=lambda o: (o.marketplace, o.order_id))
        return found

    def mark_timers_synced(self, subject_id: str, version: int) -> None:
        with self._lock:
            if self._cued.get(subject_id) == version:
                del self._cued[subject_id]

    def unsynced_subjects(self, limit: int = 100) -> list[str]:
        with self._lock:
            return sorted(self._cued)[:limit]

def _matches(ticket: TicketSummary, query: TicketQuery) -> bool:
    return ((query.status is None or ticket.status.value == query.status)
            and (query.product_id is None or ticket.product_id == query.product_id)
            and (query.customer_id is None or ticket.customer_id == query.customer_id)
            and (query.due_before is None
                 or any(t.due_at < query.due_before for t in ticket.timers))
            and (query.opened_from is None or ticket.opened_at >= query.opened_from)
            and (query.opened_until is None or ticket.opened_at < query.opened_until))


class InMemoryTenants:
    def __init__(self) -> None:
        self.marketplaces: dict[str, Marketplace] = {}
        self.sellers: dict[str, Seller] = {}
        self.key_hashes: dict[str, str] = {}

    def add_marketplace(self, marketplace: Marketplace) -> None:
        self.marketplaces[marketplace.name] = marketplace

    def add_seller(self, seller: Seller, key_hashes: tuple[str, ...] = ()) -> None:
        self.sellers[seller.seller_id] = seller
        for key_hash in key_hashes:
            self.key_hashes[key_hash] = seller.seller_id

    def marketplace(self, name: str) -> Marketplace | None:
        return self.marketplaces.get(name)

    def seller_for_key_hash(self, key_hash: str) -> Seller | None:
        seller_id = self.key_hashes.get(key_hash)
        return self.sellers.get(seller_id) if seller_id else None

    def seller(self, seller_id: str) -> Seller | None:
        return self.sellers.get(seller_id)
