"""Clocks: the only readers of the current time, injected everywhere else."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock:
    """A clock that moves only when told to: for tests and simulations."""

    def __init__(self, now: datetime):
        self._now = now

    def now(self) -> datetime:
        return self._now

    def advance(self, delta) -> None:
        self._now = self._now + delta

    def set(self, now: datetime) -> None:
        self._now = now


class OffsetClock:
    """Local mode's test clock: real time plus an offset that only moves forward."""

    def __init__(self, base=None):
        self._base = base or SystemClock()
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._base.now() + self._offset

    def move_to(self, target: datetime) -> None:
        """Jump to `target` if it is ahead; the test clock never goes back."""
        with self._lock:
            ahead = target - (self._base.now() + self._offset)
            if ahead > timedelta(0):
                self._offset += ahead
