"""Delivery of notices, as data: stored notices, endpoints, deliveries, lanes and the retry schedule.

Pure: the services decide with these and the adapters store them. A *lane* is the queue of one
endpoint for one subject (ticket or order): only its head is in flight, so per ticket the
notices arrive in commit order (CONTRACT "Outbound notices").
"""
from __future__ import annotations

import enum
import hashlib
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from .notices import Audience, Notice, NoticeType, audience_of

RETRY_WAITS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)  # seconds
JITTER = 0.2
RETRY_AFTER_RANGE = (1, 10 * 3600)  # a receiver's Retry-After is clamped to this
TIMEOUT_SECONDS = 15
FAILING_LIMIT = timedelta(days=5)  # failing this long: disabled
MAX_ATTEMPTS_KEPT = 20
RETENTION = timedelta(days=30)
SECRET_OVERLAP = timedelta(hours=24)
RETRY_KIND = "notice_retry"  # the timer kind that holds a retry wait


def notice_id(source: str, webhook_id: str, index: int) -> str:
    """Derived from the change's delivery: a replayed webhook names the same notices."""
    digest = hashlib.sha256(f"{source}\x00{webhook_id}\x00{index}".encode()).hexdigest()
    return f"ntc_{digest[:26]}"


def dispatch_id(notice: str, endpoint: str) -> str:
    return f"{notice}.{endpoint}"


def split_dispatch_id(value: str) -> tuple[str, str]:
    notice, _, endpoint = value.partition(".")
    return notice, endpoint


@dataclass(frozen=True)
class StoredNotice:
    id: str
    type: NoticeType
    marketplace: str
    seller_id: str
    subject_id: str
    data: dict[str, Any]
    created_at: datetime

    @classmethod
    def of(cls, notice: Notice, notice_id_: str, created_at: datetime) -> StoredNotice:
        return cls(notice_id_, notice.type, notice.marketplace, notice.seller_id,
                   notice.subject_id, dict(notice.data), created_at)

    @property
    def audience(self) -> Audience:
        return audience_of(self.type)

    def envelope(self) -> dict[str, Any]:
        """The wire body: the same envelope as inbound webhooks."""
        return {"type": self.type.value, "timestamp": _rfc3339(self.created_at), "data": self.data}


class EndpointStatus(str, enum.Enum):
    ENABLED = "enabled"
    DISABLED = "disabled"


@dataclass(frozen=True)
class EndpointSecret:
    sealed: str  # encrypted with the vault's key
    expires_at: datetime | None = None  # a rotated-out secret stays valid until then


@dataclass(frozen=True)
class Endpoint:
    """`owner` is `marketplace:<name>` or `seller:<id>`."""

    id: str
    owner: str
    url: str
    secrets: tuple[EndpointSecret, ...]
    created_at: datetime
    event_types: tuple[str, ...] = ()  # empty: every type the owner receives by default
    status: EndpointStatus = EndpointStatus.ENABLED
    failing_since: datetime | None = None
    last_success_at: datetime | None = None
    warnings_sent: int = 0  # endpoint.failing warnings for the current failing streak
    disabled_reason: str | None = None
    version: int = 1

    @property
    def is_seller(self) -> bool:
        return self.owner.startswith("seller:")

    def wants(self, notice_type: NoticeType) -> bool:
        if self.status is not EndpointStatus.ENABLED:
            return False
        if self.event_types:
            return notice_type.value in self.event_types
        default = NoticeType.ACTION_REQUESTED
        return notice_type is not default if self.is_seller else notice_type is default

    def active_secrets(self, now: datetime) -> tuple[EndpointSecret, ...]:
        return tuple(s for s in self.secrets if s.expires_at is None or s.expires_at > now)


def owner_of_seller(seller_id: str) -> str:
    return f"seller:{seller_id}"


def owner_of_marketplace(name: str) -> str:
    return f"marketplace:{name}"


@dataclass(frozen=True)
class Attempt:
    at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def to_dict(self) -> dict[str, Any]:
        return {"at": _rfc3339(self.at), "status_code": self.status_code,
                "duration_ms": self.duration_ms, "error": self.error}


class DispatchState(str, enum.Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    EXHAUSTED = "exhausted"


@dataclass(frozen=True)
class Dispatch:
    """One notice for one endpoint: its attempts and when the next one is due."""

    notice_id: str
    endpoint_id: str
    subject_id: str
    created_at: datetime
    state: DispatchState = DispatchState.PENDING
    attempts: tuple[Attempt, ...] = ()
    attempt_count: int = 0  # attempts of the retry series (resends not counted)
    next_at: datetime | None = None
    version: int = 1

    @property
    def id(self) -> str:
        return dispatch_id(self.notice_id, self.endpoint_id)

    @property
    def finished(self) -> bool:
        return self.state is not DispatchState.PENDING

    def recorded(self, attempt: Attempt, counted: bool = True) -> Dispatch:
        kept = (self.attempts + (attempt,))[-MAX_ATTEMPTS_KEPT:]
        return replace(self, attempts=kept, attempt_count=self.attempt_count + int(counted),
                       version=self.version + 1)


@dataclass(frozen=True)
class Lane:
    """The notices one endpoint still owes for one subject, in commit order; the head is in flight."""

    endpoint_id: str
    subject_id: str
    queue: tuple[str, ...] = ()
    version: int = 0  # 0: not stored yet

    @property
    def head(self) -> str | None:
        return self.queue[0] if self.queue else None

    def appended(self, notice: str) -> Lane:
        return self if notice in self.queue else replace(self, queue=self.queue + (notice,))

    def without(self, notice: str) -> Lane:
        return replace(self, queue=tuple(n for n in self.queue if n != notice))


def retry_wait(attempts_made: int, rng: random.Random, retry_after: float | None = None) -> timedelta | None:
    """The wait before the next attempt after `attempts_made` failures; None: exhausted."""
    if attempts_made > len(RETRY_WAITS):
        return None
    if retry_after is not None:
        low, high = RETRY_AFTER_RANGE
        return timedelta(seconds=min(max(retry_after, low), high))
    base = RETRY_WAITS[attempts_made - 1]
    return timedelta(seconds=base * rng.uniform(1 - JITTER, 1 + JITTER))


def _rfc3339(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")
