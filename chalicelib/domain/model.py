"""Domain types: frozen dataclasses and Enums, stdlib only."""
from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime

from .decisions import Decision


class TicketStatus(str, enum.Enum):
    OPEN = "open"
    CLOSED = "closed"
    REJECTED = "rejected"


class Author(str, enum.Enum):
    CUSTOMER = "customer"
    SELLER = "seller"
    MARKETPLACE = "marketplace"


@dataclass(frozen=True)
class Message:
    message_id: str
    author: Author
    body: str
    sent_at: datetime
    automated: bool = False
    tags: tuple[str, ...] = ()
    assignee: str | None = None
    subject: str | None = None
    shop_url: str | None = None
    platform: str | None = None
    platform_version: str | None = None
    product_version: str | None = None
    order_id: str | None = None
    attachment_types: tuple[str, ...] = ()  # content types, e.g. image/png


@dataclass(frozen=True)
class Timer:
    """A timer the ticket wants; `version` changes only when its due time does."""

    kind: str
    due_at: datetime
    version: int


class ClockState(str, enum.Enum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"


@dataclass(frozen=True)
class SlaClock:
    name: str  # first_response | reply | bugfix
    rule: str
    started_at: datetime
    due_at: datetime
    reminder_at: datetime | None = None
    state: ClockState = ClockState.RUNNING
    stopped_at: datetime | None = None
    reminded: bool = False

    @property
    def running(self) -> bool:
        return self.state is ClockState.RUNNING

    def stopped(self, at: datetime) -> SlaClock:
        """Met if stopped in time; a clock already breached stays breached."""
        if not self.running:
            return self
        state = ClockState.MET if at <= self.due_at else ClockState.BREACHED
        return replace(self, state=state, stopped_at=at)


def ticket_id_for(marketplace: str, thread_id: str) -> str:
    """Derived, not random: a thread maps to one ticket id, so a lookup needs no index."""
    digest = hashlib.sha256(f"{marketplace}\x00{thread_id}".encode()).hexdigest()
    return f"tkt_{digest[:24]}"


@dataclass(frozen=True)
class VaultRef:
    """A credential found in a message, kept encrypted in its own vault item (CRJ-3)."""

    entry_id: str  # "<message_id>#<n>"
    kind: str
    label: str


@dataclass(frozen=True)
class SharedCredentials:
    """What one message shared: its vault item (if sealed), how many were found and kept."""

    refs: tuple[VaultRef, ...] = ()
    found: int = 0
    kept: int = 0


@dataclass(frozen=True)
class SealedCredential:
    ref: VaultRef
    ciphertext: str  # KMS ciphertext, base64


@dataclass(frozen=True)
class Ticket:
    id: str
    marketplace: str
    thread_id: str
    seller_id: str
    product_id: str
    customer_id: str
    status: TicketStatus
    opened_at: datetime
    version: int = 0
    closed_at: datetime | None = None
    close_reason: str | None = None
    linked_to: str | None = None
    shop_url: str | None = None
    holds_slot: bool = False  # claimed the customer's one open slot (CMS-4 profiles)
    messages: tuple[Message, ...] = ()
    decisions: tuple[Decision, ...] = ()
    timers: tuple[Timer, ...] = ()
    sla: tuple[SlaClock, ...] = ()
    vault: tuple[VaultRef, ...] = ()  # credentials still held; emptied when the ticket closes
    credentials_shared: int = 0
    credentials_not_kept: int = 0  # redacted but not sealed: over the vault's bounds (CRJ-3)

    @property
    def is_open(self) -> bool:
        return self.status is TicketStatus.OPEN

    @property
    def message_count(self) -> int:
        return len(self.messages)

    def with_message(self, message: Message) -> Ticket:
        return replace(self, messages=self.messages + (message,))

    def with_decisions(self, decisions: tuple[Decision, ...]) -> Ticket:
        return replace(self, decisions=self.decisions + decisions)

    def closed(self, at: datetime, reason: str, status: TicketStatus = TicketStatus.CLOSED) -> Ticket:
        return replace(self, status=status, closed_at=at, close_reason=reason)

    def timer(self, kind: str) -> Timer | None:
        return next((t for t in self.timers if t.kind == kind), None)

    def has_message(self, message_id: str) -> bool:
        return any(m.message_id == message_id for m in self.messages)

    @property
    def heard_customer(self) -> bool:
        return any(m.author is Author.CUSTOMER for m in self.messages)


@dataclass(frozen=True)
class TicketSummary:
    """A ticket as lists read it (the status API's pages, the seller page, what-if's paging):
    no messages, decisions or vault entries, only what a list shows and counts."""

    id: str
    marketplace: str
    thread_id: str
    seller_id: str
    product_id: str
    customer_id: str
    status: TicketStatus
    opened_at: datetime
    version: int
    closed_at: datetime | None = None
    close_reason: str | None = None
    linked_to: str | None = None
    message_count: int = 0
    credentials_shared: int = 0
    credentials_not_kept: int = 0
    holds_credentials: bool = False
    timers: tuple[Timer, ...] = ()
    sla: tuple[SlaClock, ...] = ()

    @classmethod
    def of(cls, ticket: Ticket) -> TicketSummary:
        return cls(ticket.id, ticket.marketplace, ticket.thread_id, ticket.seller_id,
                   ticket.product_id, ticket.customer_id, ticket.status, ticket.opened_at,
                   ticket.version, ticket.closed_at, ticket.close_reason, ticket.linked_to,
                   ticket.message_count, ticket.credentials_shared, ticket.credentials_not_kept,
                   bool(ticket.vault), ticket.timers, ticket.sla)

    @property
    def is_open(self) -> bool:
        return self.status is TicketStatus.OPEN


@dataclass(frozen=True)
class SlotWrite:
    """The customer's open-ticket slot (CMS-4): claim it, move it, or release it.

    `expected` is the ticket id that must hold it now (None: must be free);
    `ticket_id` None releases it.
    """

    marketplace: str
    seller_id: str
    customer_id: str
    expected: str | None
    ticket_id: str | None
    opened_key: str = ""


@dataclass(frozen=True)
class EarlyClose:
    """A thread.closed that overtook its thread's first message: the ticket will open closed.

    Kept where the ticket will be (at version 0), so the first message and the close cannot
    both miss each other: whichever commits second finds the other's write.
    """

    ticket_id: str
    closed_at: datetime
    closed_by: str | None = None
    version: int = 0


@dataclass(frozen=True)
class Payment:
    payment_id: str
    order_id: str
    marketplace: str
    seller_id: str
    product_id: str
    customer_id: str
    status: str
    amount: str
    currency: str
    occurred_at: datetime
    purchase: str | None = None
    plan: str | None = None
    covers_until: datetime | None = None
    shop_url: str | None = None
    compatible_versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refund:
    refund_id: str
    order_id: str
    marketplace: str
    state: str  # "requested" | "completed"
    at: datetime
    customer_id: str | None = None
    reason: str | None = None
    product_downloaded: bool | None = None
    amount: str | None = None
    seller_id: str | None = None  # optional on the wire; without it the order is looked up


@dataclass(frozen=True)
class Marketplace:
    name: str
    policy: str
    secrets: tuple[str, ...]


@dataclass(frozen=True)
class Seller:
    seller_id: str
    policy: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Order:
    """Everything known about one seller's order: the payment and refund records as they
    arrived, and what was derived from them (decisions, timers, refunds issued). One order id
    can name several sellers' orders (one cart, several vendors): the key is all three."""

    marketplace: str
    order_id: str
    version: int = 0
    customer_id: str | None = None
    seller_id: str | None = None
    payments: tuple[Payment, ...] = ()
    refunds: tuple[Refund, ...] = ()
    decisions: tuple[Decision, ...] = ()
    timers: tuple[Timer, ...] = ()
    refunds_issued: tuple[str, ...] = ()

    @property
    def subject_id(self) -> str:
        return order_subject(self.marketplace, self.seller_id or "", self.order_id)

    def timer(self, kind: str) -> Timer | None:
        return next((t for t in self.timers if t.kind == kind), None)

    @property
    def active_until(self) -> datetime | None:
        """The latest instant the order says anything about: where the seller summary stops looking."""
        instants = [p.occurred_at for p in self.payments]
        instants += [p.covers_until for p in self.payments if p.covers_until]
        instants += [r.at for r in self.refunds] + [t.due_at for t in self.timers]
        return max(instants, default=None)


def order_subject(marketplace: str, seller_id: str, order_id: str) -> str:
    """`order:<mp>:<len(seller)>:<seller>:<order>`: ids are free text, the length keeps it unambiguous."""
    return f"order:{marketplace}:{len(seller_id)}:{seller_id}:{order_id}"

