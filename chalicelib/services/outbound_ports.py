"""Ports of the delivery side: where notices, deliveries, lanes and endpoints live, and the wire."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Protocol

from chalicelib.domain.outbound import Dispatch, Endpoint, Lane, StoredNotice


@dataclass(frozen=True)
class NoticePage:
    items: list[StoredNotice]
    next_cursor: str | None = None


class OutboundStore(Protocol):
    """Conditional writes: `put_*` with the version read (None or 0: must be new) or
    ConcurrencyError. Notices are immutable: putting one twice keeps the first."""

    def put_notice(self, notice: StoredNotice) -> None: ...

    def load_notice(self, notice_id: str) -> StoredNotice | None: ...

    def list_notices(self, seller_id: str, after: str | None, notice_type: str | None,
                     limit: int) -> NoticePage: ...

    def load_dispatch(self, notice_id: str, endpoint_id: str) -> Dispatch | None: ...

    def dispatches_of(self, notice_id: str) -> list[Dispatch]: ...

    def put_dispatch(self, dispatch: Dispatch, expected_version: int | None) -> None: ...

    def load_lane(self, endpoint_id: str, subject_id: str) -> Lane: ...

    def put_lane(self, lane: Lane, expected_version: int) -> None: ...

    def load_endpoint(self, endpoint_id: str) -> Endpoint | None: ...

    def endpoints_of(self, owner: str) -> list[Endpoint]: ...

    def put_endpoint(self, endpoint: Endpoint, expected_version: int | None) -> None: ...

    def delete_endpoint(self, endpoint_id: str) -> None: ...


@dataclass(frozen=True)
class WireAnswer:
    status_code: int | None  # None: no HTTP answer (refused, timed out, connection failed)
    duration_ms: int
    error: str | None = None
    retry_after: float | None = None


class NoticeSender(Protocol):
    """POSTs one signed body; never follows redirects; checks the address at each connection."""

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> WireAnswer: ...


class UrlChecker(Protocol):
    def check(self, url: str) -> None:
        """Raise UnsafeUrlError (a 400) saying why the URL may not be an endpoint."""
