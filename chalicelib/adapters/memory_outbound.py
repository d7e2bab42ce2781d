"""In-memory outbound store: the same contract as DynamoOutboundStore, for tests and the soak."""
from __future__ import annotations

import threading
from dataclasses import replace

from chalicelib.domain.errors import ConcurrencyError
from chalicelib.domain.outbound import Dispatch, Endpoint, Lane, StoredNotice
from chalicelib.services.outbound_ports import NoticePage

from .memory import decode_cursor, encode_cursor


class InMemoryOutboundStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.notices: dict[str, StoredNotice] = {}
        self.dispatches: dict[tuple[str, str], Dispatch] = {}
        self.lanes: dict[tuple[str, str], Lane] = {}
        self.endpoints: dict[str, Endpoint] = {}

    def put_notice(self, notice: StoredNotice) -> None:
        with self._lock:
            self.notices.setdefault(notice.id, notice)

    def load_notice(self, notice_id: str) -> StoredNotice | None:
        return self.notices.get(notice_id)

    def list_notices(self, seller_id: str, after: str | None, notice_type: str | None,
                     limit: int) -> NoticePage:
        start = tuple(decode_cursor(after).get("k", ("", ""))) if after else ("", "")
        with self._lock:
            mine = sorted(((n.created_at.isoformat(), n.id), n) for n in self.notices.values()
                          if n.seller_id == seller_id)
        after_cursor = [n for k, n in mine if k > start]
        page = [n for n in after_cursor if notice_type is None or n.type.value == notice_type][:limit]
        cursor = encode_cursor({"k": [page[-1].created_at.isoformat(), page[-1].id]}) if page else after
        return NoticePage(items=page, next_cursor=cursor)

    def load_dispatch(self, notice_id: str, endpoint_id: str) -> Dispatch | None:
        return self.dispatches.get((notice_id, endpoint_id))

    def dispatches_of(self, notice_id: str) -> list[Dispatch]:
        with self._lock:
            return sorted((d for (n, _), d in self.dispatches.items() if n == notice_id),
                          key=lambda d: d.endpoint_id)

    def put_dispatch(self, dispatch: Dispatch, expected_version: int | None) -> None:
        key = (dispatch.notice_id, dispatch.endpoint_id)
        with self._lock:
            self._expect(self.dispatches.get(key), expected_version, key)
            self.dispatches[key] = dispatch

    def load_lane(self, endpoint_id: str, subject_id: str) -> Lane:
        return self.lanes.get((endpoint_id, subject_id)) or Lane(endpoint_id, subject_id)

    def put_lane(self, lane: Lane, expected_version: int) -> None:
        key = (lane.endpoint_id, lane.subject_id)
        with self._lock:
            current = self.lanes.get(key)
            if (current.version if current else 0) != expected_version:
                raise ConcurrencyError(f"lane {key} moved on")
            self.lanes[key] = replace(lane, version=expected_version + 1)

    def load_endpoint(self, endpoint_id: str) -> Endpoint | None:
        return self.endpoints.get(endpoint_id)

    def endpoints_of(self, owner: str) -> list[Endpoint]:
        with self._lock:
            return sorted((e for e in self.endpoints.values() if e.owner == owner),
                          key=lambda e: (e.created_at, e.id))

    def put_endpoint(self, endpoint: Endpoint, expected_version: int | None) -> None:
        with self._lock:
            self._expect(self.endpoints.get(endpoint.id), expected_version, endpoint.id)
            self.endpoints[endpoint.id] = endpoint

    def delete_endpoint(self, endpoint_id: str) -> None:
        with self._lock:
            self.endpoints.pop(endpoint_id, None)

    @staticmethod
    def _expect(current, expected_version: int | None, key) -> None:
        if (current.version if current else None) != expected_version:
            raise ConcurrencyError(f"{key} moved on")
