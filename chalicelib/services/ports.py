"""Ports: what the services need from the outside world, named for intent."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Iterable, Protocol

from chalicelib.domain.events import Delivery
from chalicelib.domain.notices import Notice
from chalicelib.domain.model import (EarlyClose, Marketplace, Message, Order, SealedCredential,
                                     Seller, SlotWrite, Ticket, TicketSummary, Timer)


@dataclass(frozen=True)
class TimerRequest:
    subject_id: str
    kind: str
    due_at: datetime
    version: int


@dataclass(frozen=True)
class TicketEntry:
    """A ticket as the refunds need it (PS-7 tickets before, PS-8 open ones): the customer's
    ticket digest holds one per ticket, set in the transaction that opens or closes it."""

    ticket_id: str
    product_id: str
    opened_at: datetime
    is_open: bool

    @classmethod
    def of(cls, ticket: Ticket) -> TicketEntry:
        return cls(ticket.id, ticket.product_id, ticket.opened_at, ticket.is_open)


@dataclass(frozen=True)
class OrderRead:
    """One read for a refund: every seller's order of that id and, when the customer was
    known before the read, their tickets by seller (None: not read, or a table whose ticket
    digests are not complete yet: ask the index)."""

    orders: list[Order]
    tickets: dict[str, tuple[TicketEntry, ...]] | None = None


@dataclass(frozen=True)
class TicketWrite:
    """Save `ticket` if the stored one is at `expected_version` (None: must not exist yet)."""

    ticket: Ticket
    expected_version: int | None
    new_messages: tuple[Message, ...] = ()
    previous_timers: tuple[Timer, ...] = ()  # wanted before: a change sets the sync cue
    sealed: tuple[SealedCredential, ...] = ()  # vault items to write (if the ticket keeps them)
    previous_vault: tuple[str, ...] = ()  # vault entries stored before: those dropped are deleted
    previous_entry: TicketEntry | None = None  # the digest entry before (None: a new ticket)

    @classmethod
    def replacing(cls, old: Ticket, new: Ticket, messages: tuple[Message, ...] = ()) -> TicketWrite:
        """`new` over `old`, one version later."""
        return cls(replace(new, version=old.version + 1), old.version, messages, old.timers,
                   previous_vault=tuple(v.entry_id for v in old.vault),
                   previous_entry=TicketEntry.of(old))

    @property
    def timers_changed(self) -> bool:
        """The store sets the sync cue on such a write; a write that keeps the timers keeps
        whatever cue the stored version has (the store's business, not the ticket's)."""
        return set(self.ticket.timers) != set(self.previous_timers)

    def digest_entry(self) -> TicketEntry | None:
        """The customer's digest entry to set with this write; None when it did not change
        (most writes: a message, a timer), so they do not touch the digest."""
        entry = TicketEntry.of(self.ticket)
        return None if entry == self.previous_entry else entry

    @classmethod
    def creating(cls, new: Ticket, messages: tuple[Message, ...],
                 replaces: EarlyClose | None = None) -> TicketWrite:
        """A new ticket, in the place of the close that arrived before its first message."""
        expected = replaces.version if replaces else None
        return cls(replace(new, version=(expected or 0) + 1), expected, messages)

    def vault_puts(self) -> tuple[SealedCredential, ...]:
        kept = {v.entry_id for v in self.ticket.vault}
        return tuple(s for s in self.sealed if s.ref.entry_id in kept)

    def vault_deletes(self) -> tuple[str, ...]:
        kept = {v.entry_id for v in self.ticket.vault}
        return tuple(e for e in self.previous_vault if e not in kept)


@dataclass(frozen=True)
class OrderWrite:
    """Save `order` if the stored one is at `expected_version` (None: must not exist yet)."""

    order: Order
    expected_version: int | None
    previous_timers: tuple[Timer, ...] = ()  # wanted before: a change sets the sync cue

    @classmethod
    def replacing(cls, old: Order | None, new: Order) -> OrderWrite:
        """`new` over `old` (None: a new order), one version later."""
        if old is None:
            return cls(replace(new, version=1), None)
        return cls(replace(new, version=old.version + 1), old.version, old.timers)

    @property
    def timers_changed(self) -> bool:
        return set(self.order.timers) != set(self.previous_timers)


@dataclass(frozen=True)
class Change:
    """Everything one webhook changes, committed atomically with its delivery record."""

    delivery: Delivery
    response: dict[str, Any]
    recorded_at: datetime
    tickets: tuple[TicketWrite, ...] = ()
    slots: tuple[SlotWrite, ...] = ()
    orders: tuple[OrderWrite, ...] = ()
    early_closes: tuple[EarlyClose, ...] = ()  # each must find neither a ticket nor a close
    notices: tuple[Notice, ...] = ()  # the outbox: written in the same transaction, sent after it


@dataclass(frozen=True)
class TicketQuery:
    seller_id: str
    status: str | None = None
    product_id: str | None = None
    customer_id: str | None = None
    due_before: datetime | None = None
    opened_from: datetime | None = None
    opened_until: datetime | None = None
    limit: int = 50
    cursor: str | None = None


@dataclass(frozen=True)
class TicketPage:
    items: list[TicketSummary] = field(default_factory=list)
    next_cursor: str | None = None


class TicketStore(Protocol):
    def load_ticket(self, ticket_id: str) -> Ticket | None: ...

    def load_thread(self, ticket_id: str) -> tuple[Ticket | None, EarlyClose | None]:
        """The ticket, or the close that arrived before its first message (one read)."""

    def load_thread_and_orders(self, ticket_id: str, seller_id: str, customer_id: str
                               ) -> tuple[Ticket | None, EarlyClose | None, list[Order]]:
        """`load_thread` and the customer's orders with this seller (payments and refunds at
        least) in the same read: what a first message under money rules needs."""

    def commit(self, change: Change) -> None:
        """Apply atomically or not at all.

        Raises AlreadyAppliedError, SlotTakenError, ConcurrencyError or DependencyError.
        """

    def list_tickets(self, query: TicketQuery) -> TicketPage: ...

    def load_order(self, marketplace: str, seller_id: str, order_id: str) -> Order | None: ...

    def load_order_read(self, marketplace: str, order_id: str,
                        customer_id: str | None = None) -> OrderRead:
        """Every seller's order of that id and, given the customer, their ticket digests:
        one read (what a refund decides on)."""

    def customer_tickets(self, seller_id: str, customer_id: str) -> tuple[TicketEntry, ...] | None:
        """The customer's ticket digest with this seller; None if the digests are not complete
        (a table from before them, until the backfill)."""

    def orders_with_id(self, marketplace: str, order_id: str) -> list[Order]:
        """Every seller's order of that id (a refund without a seller_id is found among them)."""

    def orders_for_customer(self, seller_id: str, customer_id: str) -> list[Order]:
        """Every order of the customer with this seller, on every marketplace."""

    def mark_timers_synced(self, subject_id: str, version: int) -> None:
        """Clear the reconciler's cue, unless the ticket or order moved on since `version`."""

    def unsynced_subjects(self, limit: int = 100) -> list[str]:
        """Ticket ids and order subjects whose schedules may lag their timers."""

    def load_vault(self, ticket_id: str) -> list[SealedCredential]: ...

    # The seller summary's reads: each bounded by what is current, never by the seller's history.
    def open_tickets(self, seller_id: str, limit: int) -> list[TicketSummary]:
        """The seller's open tickets, oldest first (a sparse index of open tickets)."""

    def tickets_opened_since(self, seller_id: str, since: datetime, limit: int
                             ) -> list[TicketSummary]:
        """The seller's tickets opened at or after `since`, newest first (a key range)."""

    def seller_orders(self, seller_id: str, active_since: datetime, limit: int) -> list[Order]:
        """The seller's orders whose `active_until` is at or after `active_since`."""

    def count_vault_items(self) -> int: ...


class TenantDirectory(Protocol):
    def marketplace(self, name: str) -> Marketplace | None: ...

    def seller_for_key_hash(self, key_hash: str) -> Seller | None: ...

    def seller(self, seller_id: str) -> Seller | None: ...


class TimerScheduler(Protocol):
    """Named one-time schedules that mirror the timers a subject wants (EventBridge Scheduler)."""

    def sync(self, subject_id: str, wanted: Iterable[TimerRequest],
             unwanted_kinds: Iterable[str]) -> None: ...

    def pending(self, subject_id: str | None = None) -> list[TimerRequest]: ...


class CredentialVault(Protocol):
    """Encrypts credentials found in messages (KMS in production), bound to their ticket."""

    def seal(self, ticket_id: str, plaintext: str) -> str: ...

    def open(self, ticket_id: str, ciphertext: str) -> str: ...


class Clock(Protocol):
    def now(self) -> datetime: ...
