"""Local timer pump: moto stores EventBridge schedules but never fires them, so this does."""
from __future__ import annotations

import json
import logging
import re
import threading
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

logger = logging.getLogger("ticketwarden.pump")
_AT = re.compile(r"at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")


def fire_time(schedule: dict) -> datetime | None:
    """None for anything but a one-time `at(...)` schedule: those are not ours to fire."""
    match = _AT.fullmatch(schedule["ScheduleExpression"])
    if match is None:
        return None
    zone = ZoneInfo(schedule.get("ScheduleExpressionTimezone") or "UTC")
    return datetime.fromisoformat(match.group(1)).replace(tzinfo=zone)


def _identity(schedule: dict) -> tuple:
    return schedule["Name"], schedule["ScheduleExpression"], schedule["Target"].get("Input")


class TimerPump:
    def __init__(self, client, group: str, fire: Callable[[dict], None],
                 clock: Callable[[], datetime], settle: Callable[[], object] = lambda: None):
        self._client = client
        self._group = group
        self._fire = fire
        self._clock = clock
        self._settle = settle  # the stream's pending records: the schedules they set
        self._lock = threading.Lock()

    def fire_due(self, until: datetime | None = None) -> int:
        """Passes until quiet, so a timer set by a firing one and already due fires too; each
        pass first lets the stream set the schedules the commits so far want."""
        until = until or self._clock()
        fired, seen = 0, set()
        with self._lock:  # the background loop and the test clock must not fire a timer twice
            while True:
                self._settle()
                due = [s for s in self._due(until) if _identity(s) not in seen]
                if not due:
                    break
                for schedule in due:
                    seen.add(_identity(schedule))
                    fired += self._fire_one(schedule)
        return fired

    def run_forever(self, interval: float, stop: threading.Event) -> None:
        every(interval, stop, self.fire_due, "timer pump")

    def _due(self, until: datetime) -> list[dict]:
        """Due schedules in (due, name) order, the order Scheduler would fire them in."""
        due = []
        for name in self._names():
            schedule = self._get(name)
            at = fire_time(schedule) if schedule else None
            if at is not None and at <= until:
                due.append((at, name, schedule))
        return [schedule for _, _, schedule in sorted(due, key=lambda d: d[:2])]

    def _fire_one(self, schedule: dict) -> bool:
        """A failed fire keeps its schedule, like a Scheduler retry; the next call tries again."""
        try:
            self._fire(json.loads(schedule["Target"]["Input"]))
        except Exception:  # noqa: BLE001 - one bad timer must not stop the others
            logger.exception("timer %s failed; kept for the next pass", schedule["Name"])
            return False
        current = self._get(schedule["Name"])
        if current is not None and _identity(current) == _identity(schedule):
            self._delete(schedule["Name"])
        return True  # a schedule the handler re-set is a new timer: it stays

    def _delete(self, name: str) -> None:
        """Like Scheduler's delete after completion; the stream consumer, syncing the commit the
        firing made, may have deleted the schedule first."""
        try:
            self._client.delete_schedule(Name=name, GroupName=self._group)
        except self._client.exceptions.ResourceNotFoundException:
            pass

    def _names(self) -> list[str]:
        names, token = [], {}
        while True:
            page = self._client.list_schedules(GroupName=self._group, **token)
            names += [schedule["Name"] for schedule in page.get("Schedules", [])]
            if not page.get("NextToken"):
                return names
            token = {"NextToken": page["NextToken"]}

    def _get(self, name: str) -> dict | None:
        try:
            return self._client.get_schedule(Name=name, GroupName=self._group)
        except self._client.exceptions.ResourceNotFoundException:
            return None


def every(interval: float, stop: threading.Event, one_pass: Callable[[], object], name: str) -> None:
    """Run `one_pass` every `interval` seconds until `stop`; a pass that fails is logged and the
    next one runs (a local pump must outlive a hiccup of the emulator)."""
    while not stop.is_set():
        try:
            one_pass()
        except Exception:  # noqa: BLE001 - see above
            logger.exception("%s pass failed", name)
        stop.wait(interval)
