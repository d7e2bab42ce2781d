"""EventBridge Scheduler timers: one named one-time schedule per (subject, kind), upserted."""
from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
import time
from datetime import datetime, timedelta, timezone
from typing import Iterable

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.domain.errors import DependencyError
from chalicelib.services.ports import TimerRequest

_SAFE = re.compile(r"[0-9A-Za-z_-]+")
_SUBJECT_ROOM, _KIND_ROOM = 36, 27  # + "." = 64, the Scheduler's name limit
_RETRYABLE = {"ThrottlingException", "TooManyRequestsException", "InternalServerException",
              "ServiceUnavailable", "ServiceUnavailableException"}
_BASE_DELAY, _MAX_DELAY = 0.1, 5.0


def schedule_name(subject_id: str, kind: str) -> str:
    """Deterministic, so creating twice is a conflict to update, never a duplicate."""
    return f"{name_prefix(subject_id)}{_part(kind, _KIND_ROOM)}"


def name_prefix(subject_id: str) -> str:
    """The separator never occurs in a part, so one subject's prefix cannot match another's."""
    return f"{_part(subject_id, _SUBJECT_ROOM)}."


def _part(text: str, room: int) -> str:
    if _SAFE.fullmatch(text) and len(text) <= room:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"{re.sub(r'[^0-9A-Za-z_-]', '_', text)[:room - 17]}-{digest}"


def fire_time(due_at: datetime) -> datetime:
    """Rounded up to the whole second: a timer may fire late, never early."""
    due = due_at.astimezone(timezone.utc)
    return due.replace(microsecond=0) + timedelta(seconds=1) if due.microsecond else due


def plan(subject_id: str, wanted: Iterable[TimerRequest],
         unwanted_kinds: Iterable[str]) -> tuple[list[TimerRequest], list[str]]:
    """What to upsert and what to delete; a kind both wanted and unwanted stays wanted."""
    upserts = list(wanted)
    if any(request.subject_id != subject_id for request in upserts):
        raise ValueError(f"every wanted timer must belong to {subject_id}")
    return upserts, sorted(set(unwanted_kinds) - {request.kind for request in upserts})


def payload(request: TimerRequest) -> str:
    return json.dumps({"kind": request.kind, "subject_id": request.subject_id,
                       "version": request.version, "due_at": request.due_at.isoformat()})


def request_from(payload_json: str) -> TimerRequest:
    data = json.loads(payload_json)
    return TimerRequest(data["subject_id"], data["kind"], datetime.fromisoformat(data["due_at"]),
                        data["version"])


class EventBridgeTimers:
    def __init__(self, client, *, group: str, target_arn: str, role_arn: str, sleep=time.sleep,
                 max_attempts: int = 6):
        self._client = client
        self._group = group
        self._target = {"Arn": target_arn, "RoleArn": role_arn}
        self._sleep = sleep
        self._max_attempts = max_attempts

    schedule_name = staticmethod(schedule_name)

    def sync(self, subject_id: str, wanted: Iterable[TimerRequest],
             unwanted_kinds: Iterable[str]) -> None:
        upserts, deletes = plan(subject_id, wanted, unwanted_kinds)
        for request in upserts:
            self._upsert(request)
        for kind in deletes:
            self._call("delete_schedule", tolerate="ResourceNotFoundException",
                       Name=schedule_name(subject_id, kind), GroupName=self._group)

    def _upsert(self, request: TimerRequest) -> None:
        params = {"Name": schedule_name(request.subject_id, request.kind), "GroupName": self._group,
                  "ScheduleExpression": f"at({fire_time(request.due_at):%Y-%m-%dT%H:%M:%S})",
                  "ScheduleExpressionTimezone": "UTC", "FlexibleTimeWindow": {"Mode": "OFF"},
                  "ActionAfterCompletion": "DELETE",
                  "Target": {**self._target, "Input": payload(request)}}
        if self._call("create_schedule", tolerate="ConflictException", **params) is None:
            self._call("update_schedule", **params)

    def pending(self, subject_id: str | None = None) -> list[TimerRequest]:
        """Read back from Scheduler itself: what the reconciler compares with the table."""
        prefix = {"NamePrefix": name_prefix(subject_id)} if subject_id else {}
        found = []
        for name in self._names(prefix):
            schedule = self._call("get_schedule", tolerate="ResourceNotFoundException",
                                  Name=name, GroupName=self._group)
            if schedule is not None:  # None: it fired and was deleted since the listing
                found.append((name, request_from(schedule["Target"]["Input"])))
        return [request for name, request in sorted(found, key=lambda f: (f[1].due_at, f[0]))
                if subject_id is None or request.subject_id == subject_id]

    def _names(self, prefix: dict) -> list[str]:
        names, token = [], {}
        while True:
            page = self._call("list_schedules", GroupName=self._group, **prefix, **token)
            names += [schedule["Name"] for schedule in page.get("Schedules", [])]
            if not page.get("NextToken"):
                return names
            token = {"NextToken": page["NextToken"]}

    def _call(self, operation: str, *, tolerate: str = "", **params) -> dict | None:
        """Throttling is retried with backoff; the `tolerate` code answers None; the rest fails."""
        for attempt in itertools.count(1):
            try:
                return getattr(self._client, operation)(**params)
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                if code and code == tolerate:
                    return None
                if code not in _RETRYABLE or attempt == self._max_attempts:
                    raise DependencyError(f"Scheduler {operation} failed: {code}") from exc
            except BotoCoreError as exc:
                raise DependencyError(f"Scheduler unreachable: {type(exc).__name__}") from exc
            self._sleep(backoff(attempt))


def backoff(attempt: int) -> float:
    """Half fixed, half jitter: delays grow with each attempt yet spread across callers."""
    ceiling = min(_MAX_DELAY, _BASE_DELAY * 2 ** attempt)
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def ensure_group(client, group: str) -> None:
    """Local mode only; looks first because moto re-creating a group drops its schedules."""
    try:
        if not _group_exists(client, group):
            client.create_schedule_group(Name=group)
    except client.exceptions.ConflictException:
        pass  # created concurrently: just as good
    except (ClientError, BotoCoreError) as exc:
        raise DependencyError(f"Scheduler group {group} unavailable") from exc


def _group_exists(client, group: str) -> bool:
    try:
        client.get_schedule_group(Name=group)
        return True
    except client.exceptions.ResourceNotFoundException:
        return False
