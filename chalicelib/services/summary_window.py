"""The summary's running aggregates for one seller, kept across the requests of a warm container.

A ticket version's settled clocks and first answer, and an order version's deadlines, never
change: each is worked out once, added to the aggregates, and taken out again only when its
ticket or order moves on (a new version) or leaves the window. A refresh (the page asks
every 30 s) then costs a comparison of versions plus the work on what changed, not a pass
over the whole window. The store stays the truth: every request re-reads it.
"""
from __future__ import annotations

import bisect
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime

from chalicelib.domain.model import Order, TicketSummary

from .summary_money import OrderDigest
from .summary_parts import Digest


class SellerWindow:
    def __init__(self) -> None:
        self.lock = threading.Lock()  # chalice local serves requests on threads
        self.tally: Counter = Counter()  # (rule, UTC day, met) -> settled clocks
        self.answers: list[float] = []  # first answers in business hours, sorted
        self._tickets: dict[str, tuple[int, Digest]] = {}
        self._orders: dict[str, tuple[int, OrderDigest]] = {}
        self._deadlines: list[tuple[datetime, str, int]] = []  # (at, order, n), sorted
        self._owed: dict[str, tuple[dict, ...]] = {}

    def sync_tickets(self, tickets: Iterable[TicketSummary], digest_of: Callable[[TicketSummary], Digest]) -> None:
        current = {t.id: t for t in tickets}
        kept = self._tickets
        for gone in kept.keys() - current.keys():
            self._drop_ticket(gone)
        for ticket_id, ticket in current.items():  # the hot loop of a refresh: keep it plain
            held = kept.get(ticket_id)
            if held is None or held[0] != ticket.version:
                if held is not None:
                    self._drop_ticket(ticket_id)
                self._add_ticket(ticket, digest_of(ticket))

    def _add_ticket(self, ticket: TicketSummary, digest: Digest) -> None:
        self._tickets[ticket.id] = (ticket.version, digest)
        self.tally.update(digest.settled)
        if digest.first_answer:
            bisect.insort(self.answers, digest.first_answer[1])

    def _drop_ticket(self, ticket_id: str) -> None:
        _, digest = self._tickets.pop(ticket_id)
        self.tally.subtract(digest.settled)
        for settled in digest.settled:
            if self.tally[settled] <= 0:
                del self.tally[settled]
        if digest.first_answer:
            del self.answers[bisect.bisect_left(self.answers, digest.first_answer[1])]

    def sync_orders(self, orders: Iterable[Order], digest_of: Callable[[Order], OrderDigest]) -> None:
        current = {o.subject_id: o for o in orders}
        for gone in self._orders.keys() - current.keys():
            self._drop_order(gone)
        for subject, order in current.items():
            held = self._orders.get(subject)
            if held is None or held[0] != order.version:
                if held is not None:
                    self._drop_order(subject)
                self._add_order(subject, order.version, digest_of(order))

    def _add_order(self, subject: str, version: int, digest: OrderDigest) -> None:
        self._orders[subject] = (version, digest)
        for n, (at, _) in enumerate(digest.deadlines):
            bisect.insort(self._deadlines, (at, subject, n))
        if digest.owed:
            self._owed[subject] = digest.owed

    def _drop_order(self, subject: str) -> None:
        _, digest = self._orders.pop(subject)
        for n, (at, _) in enumerate(digest.deadlines):
            del self._deadlines[bisect.bisect_left(self._deadlines, (at, subject, n))]
        self._owed.pop(subject, None)

    def deadlines_between(self, start: datetime, end: datetime) -> list[dict]:
        """The order deadlines (refund rights, Business Care) falling in [start, end], in time order."""
        first = bisect.bisect_left(self._deadlines, (start, "", -1))
        found = []
        for at, subject, n in self._deadlines[first:]:
            if at > end:
                break
            found.append(self._orders[subject][1].deadlines[n][1])
        return found

    def owed(self) -> list[dict]:
        return [item for items in self._owed.values() for item in items]

    @property
    def median_answer(self) -> float | None:
        count = len(self.answers)
        if not count:
            return None
        middle = count // 2
        return self.answers[middle] if count % 2 else (self.answers[middle - 1] + self.answers[middle]) / 2


class SellerWindows:
    """One window per seller; bounded: full, it starts over (a miss is only a slower request)."""

    def __init__(self, sellers: int = 500):
        self._size, self._windows, self._lock = sellers, {}, threading.Lock()

    def of(self, seller_id: str) -> SellerWindow:
        with self._lock:
            window = self._windows.get(seller_id)
            if window is None:
                if len(self._windows) >= self._size:
                    self._windows = {}
                window = self._windows[seller_id] = SellerWindow()
            return window
