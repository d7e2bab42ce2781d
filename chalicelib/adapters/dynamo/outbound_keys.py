"""Single-table layout of the outbound side (the companion of keys.py). Pure; no I/O.

  OUTBOX#<subject>        / <recorded_at>#<source>#<hook id>   a change's notices, zlib JSON (stream only, TTL)
  NOTICE#<id>             / #NOTICE        a notice (GSI1: NOTICES#<seller> / <created_at>#<id>), TTL
  NOTICE#<id>             / DISPATCH#<endpoint id>   its delivery to one endpoint, attempts (TTL)
  ENDPOINT#<id>           / #ENDPOINT      an endpoint (GSI1: ENDPOINTS#<owner> / <created_at>#<id>)
  LANE#<endpoint>#<subject> / #LANE        what the endpoint still owes for one subject, in order
"""
from __future__ import annotations

import json
import zlib
from datetime import datetime, timedelta

from chalicelib.domain.notices import NoticeType
from chalicelib.domain.outbound import (RETENTION, Attempt, Dispatch, DispatchState, Endpoint,
                                        EndpointSecret, EndpointStatus, Lane, StoredNotice)

from .keys import TTL_ATTRIBUTE

OUTBOX = "outbox"  # the stream filter passes items of this type only
OUTBOX_RETENTION = timedelta(days=7)  # the stream keeps records 24 h; this is slack


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _ttl(at: datetime, keep: timedelta = RETENTION) -> int:
    return int((at + keep).timestamp())


def notice_dict(notice: StoredNotice) -> dict:
    return {"id": notice.id, "type": notice.type.value, "marketplace": notice.marketplace,
            "seller_id": notice.seller_id, "subject_id": notice.subject_id, "data": notice.data,
            "created_at": _iso(notice.created_at)}


def notice_from_dict(raw: dict) -> StoredNotice:
    return StoredNotice(id=raw["id"], type=NoticeType(raw["type"]), marketplace=raw["marketplace"],
                        seller_id=raw["seller_id"], subject_id=raw["subject_id"],
                        data=raw.get("data") or {}, created_at=_dt(raw["created_at"]))


def outbox_item(subject_id: str, source: str, webhook_id: str, notices: list[StoredNotice],
                recorded_at: datetime) -> dict:
    return {"PK": f"OUTBOX#{subject_id}", "SK": f"{_iso(recorded_at)}#{source}#{webhook_id}",
            "type": OUTBOX, "notices": zlib.compress(json.dumps([notice_dict(n) for n in notices],
                                                                 separators=(",", ":")).encode(), 6),
            TTL_ATTRIBUTE: _ttl(recorded_at, OUTBOX_RETENTION)}


def notices_from_outbox(item: dict) -> list[StoredNotice]:
    """zlib-compressed JSON (binary): the outbox rides in the webhook's transaction, where
    every started KB costs 2 WRU, and notices repeat their ticket's fields."""
    raw = item["notices"]
    raw = getattr(raw, "value", raw)  # boto3's Binary
    return [notice_from_dict(n) for n in json.loads(zlib.decompress(bytes(raw)))]


def notice_key(notice_id: str) -> dict:
    return {"PK": f"NOTICE#{notice_id}", "SK": "#NOTICE"}


def notices_gsi_pk(seller_id: str) -> str:
    return f"NOTICES#{seller_id}"


def notice_item(notice: StoredNotice) -> dict:
    return {**notice_key(notice.id), "type": "notice", "notice": json.dumps(notice_dict(notice)),
            "GSI1PK": notices_gsi_pk(notice.seller_id),
            "GSI1SK": f"{_iso(notice.created_at)}#{notice.id}", TTL_ATTRIBUTE: _ttl(notice.created_at)}


def notice_from_item(item: dict) -> StoredNotice:
    return notice_from_dict(json.loads(item["notice"]))


def dispatch_key(notice_id: str, endpoint_id: str) -> dict:
    return {"PK": f"NOTICE#{notice_id}", "SK": f"DISPATCH#{endpoint_id}"}


def _attempt_dict(a: Attempt) -> dict:
    return {"at": _iso(a.at), "status_code": a.status_code, "duration_ms": a.duration_ms,
            "error": a.error, "retry_after": a.retry_after}


def dispatch_item(d: Dispatch) -> dict:
    return {**dispatch_key(d.notice_id, d.endpoint_id), "type": "dispatch",
            "subject_id": d.subject_id, "created_at": _iso(d.created_at), "state": d.state.value,
            "attempts": json.dumps([_attempt_dict(a) for a in d.attempts]),
            "attempt_count": d.attempt_count, "next_at": _iso(d.next_at), "version": d.version,
            TTL_ATTRIBUTE: _ttl(d.created_at)}


def dispatch_from_item(item: dict) -> Dispatch:
    attempts = tuple(Attempt(at=_dt(a["at"]), status_code=a["status_code"],
                             duration_ms=a["duration_ms"], error=a["error"],
                             retry_after=a.get("retry_after"))
                     for a in json.loads(item["attempts"]))
    return Dispatch(notice_id=item["PK"].removeprefix("NOTICE#"),
                    endpoint_id=item["SK"].removeprefix("DISPATCH#"), subject_id=item["subject_id"],
                    created_at=_dt(item["created_at"]), state=DispatchState(item["state"]),
                    attempts=attempts, attempt_count=int(item["attempt_count"]),
                    next_at=_dt(item.get("next_at")), version=int(item["version"]))


def endpoint_key(endpoint_id: str) -> dict:
    return {"PK": f"ENDPOINT#{endpoint_id}", "SK": "#ENDPOINT"}


def endpoints_gsi_pk(owner: str) -> str:
    return f"ENDPOINTS#{owner}"


def endpoint_item(e: Endpoint) -> dict:
    return {**endpoint_key(e.id), "type": "endpoint", "owner": e.owner, "url": e.url,
            "secrets": json.dumps([[s.sealed, _iso(s.expires_at)] for s in e.secrets]),
            "created_at": _iso(e.created_at), "event_types": json.dumps(list(e.event_types)),
            "status": e.status.value, "failing_since": _iso(e.failing_since),
            "last_success_at": _iso(e.last_success_at), "warnings_sent": e.warnings_sent,
            "disabled_reason": e.disabled_reason, "version": e.version,
            "GSI1PK": endpoints_gsi_pk(e.owner), "GSI1SK": f"{_iso(e.created_at)}#{e.id}"}


def endpoint_from_item(item: dict) -> Endpoint:
    return Endpoint(id=item["PK"].removeprefix("ENDPOINT#"), owner=item["owner"], url=item["url"],
                    secrets=tuple(EndpointSecret(s, _dt(x)) for s, x in json.loads(item["secrets"])),
                    created_at=_dt(item["created_at"]),
                    event_types=tuple(json.loads(item["event_types"])),
                    status=EndpointStatus(item["status"]), failing_since=_dt(item.get("failing_since")),
                    last_success_at=_dt(item.get("last_success_at")),
                    warnings_sent=int(item.get("warnings_sent", 0)),
                    disabled_reason=item.get("disabled_reason"), version=int(item["version"]))


def lane_key(endpoint_id: str, subject_id: str) -> dict:
    return {"PK": f"LANE#{endpoint_id}#{subject_id}", "SK": "#LANE"}


def lane_item(lane: Lane) -> dict:
    return {**lane_key(lane.endpoint_id, lane.subject_id), "type": "lane",
            "endpoint_id": lane.endpoint_id, "subject_id": lane.subject_id,
            "queue": json.dumps(list(lane.queue)), "version": lane.version}


def lane_from_item(item: dict) -> Lane:
    return Lane(endpoint_id=item["endpoint_id"], subject_id=item["subject_id"],
                queue=tuple(json.loads(item["queue"])), version=int(item["version"]))
