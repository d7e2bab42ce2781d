"""An endpoint's failing streak: warnings at its start and half-way, disabled after 5 days."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.domain.notices import NoticeType
from chalicelib.domain.outbound import (FAILING_LIMIT, Endpoint, EndpointStatus, StoredNotice,
                                        notice_id)

WARN_AFTER = timedelta(minutes=30)  # "the start": past the first retries, so a blip warns no one
HALF_WAY = FAILING_LIMIT / 2
SUCCESS_WRITE_EVERY = timedelta(hours=1)  # last_success_at is refreshed at most this often


def after_success(endpoint: Endpoint, now: datetime) -> Endpoint | None:
    """The endpoint to store after a 2xx, or None when nothing worth a write changed."""
    stale = endpoint.last_success_at is None or now - endpoint.last_success_at >= SUCCESS_WRITE_EVERY
    if endpoint.failing_since is None and not stale:
        return None
    return replace(endpoint, failing_since=None, warnings_sent=0, last_success_at=now,
                   version=endpoint.version + 1)


def after_failure(endpoint: Endpoint, now: datetime, gone: bool) -> tuple[Endpoint, list[NoticeType]]:
    """The endpoint after a failed attempt, and the warnings to send about it (410: `gone`)."""
    since = endpoint.failing_since or now
    failed_for = now - since
    warnings: list[NoticeType] = []
    sent = endpoint.warnings_sent
    status, reason = endpoint.status, endpoint.disabled_reason
    if gone or failed_for >= FAILING_LIMIT:
        status = EndpointStatus.DISABLED
        reason = "HTTP 410 Gone" if gone else "failing for 5 days"
        warnings.append(NoticeType.ENDPOINT_DISABLED)
    elif sent == 0 and failed_for >= WARN_AFTER or sent == 1 and failed_for >= HALF_WAY:
        sent += 1
        warnings.append(NoticeType.ENDPOINT_FAILING)
    updated = replace(endpoint, failing_since=since, warnings_sent=sent, status=status,
                      disabled_reason=reason, version=endpoint.version + 1)
    return updated, warnings


def warning_notice(endpoint: Endpoint, kind: NoticeType, marketplace: str, now: datetime) -> StoredNotice:
    """Its id is derived from the streak and the warning number: a retried write is the same notice."""
    seller = endpoint.owner.removeprefix("seller:")
    since = endpoint.failing_since or now
    ident = notice_id("_endpoint", f"{endpoint.id}:{since.isoformat()}:{kind.value}",
                      endpoint.warnings_sent)
    return StoredNotice(ident, kind, marketplace, seller, endpoint.id,
                        {"endpoint_id": endpoint.id, "url": endpoint.url,
                         "failing_since": since.isoformat().replace("+00:00", "Z"),
                         **({"reason": endpoint.disabled_reason} if endpoint.disabled_reason else {})},
                        now)
