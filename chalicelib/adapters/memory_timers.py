"""In-memory twin of EventBridgeTimers, for tests and the simulator; same names, same contract."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from chalicelib.domain.errors import DependencyError

from chalicelib.services.ports import TimerRequest

from .scheduler import fire_time, plan, schedule_name


class InMemoryTimers:
    schedule_name = staticmethod(schedule_name)

    def __init__(self):
        self._timers: dict[str, TimerRequest] = {}
        self._failures = 0

    def fail_next(self, n: int = 1) -> None:
        """The next n syncs fail before touching anything: the commit-then-sync crash window."""
        self._failures = n

    def sync(self, subject_id: str, wanted: Iterable[TimerRequest],
             unwanted_kinds: Iterable[str]) -> None:
        if self._failures:
            self._failures -= 1
            raise DependencyError("Scheduler sync failed (injected)")
        upserts, deletes = plan(subject_id, wanted, unwanted_kinds)
        for request in upserts:
            self._timers[schedule_name(subject_id, request.kind)] = request
        for kind in deletes:
            self.remove(subject_id, kind)

    def pending(self, subject_id: str | None = None) -> list[TimerRequest]:
        return [request for _, request in self._ordered()
                if subject_id is None or request.subject_id == subject_id]

    def due(self, now: datetime) -> list[TimerRequest]:
        """Judged by the whole second the real schedule would fire at."""
        return [request for _, request in self._ordered() if fire_time(request.due_at) <= now]

    def remove(self, subject_id: str, kind: str) -> None:
        self._timers.pop(schedule_name(subject_id, kind), None)

    def _ordered(self) -> list[tuple[str, TimerRequest]]:
        return sorted(self._timers.items(), key=lambda item: (item[1].due_at, item[0]))
