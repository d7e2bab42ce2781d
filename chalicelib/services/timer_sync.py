"""Make the named schedules match the timers tickets and orders want: the table's stream
brings each change whose timers moved (its cue set in the same transaction); the reconciler
repairs what the stream could not (a failed sync, a record past the stream's retention)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable

from chalicelib.domain.errors import DependencyError
from chalicelib.domain.model import Timer

from .ports import TicketStore, TimerRequest, TimerScheduler
from .subjects import load_subject

logger = logging.getLogger("ticketwarden.timers")


@dataclass(frozen=True)
class TimersChanged:
    """One stream record of a ticket or order whose wanted timers changed."""

    subject_id: str
    timers: tuple[Timer, ...]
    version: int
    previous_timers: tuple[str, ...]  # kinds wanted by the version before
    previous_synced: bool  # False: the version before was not synced either


@dataclass
class TimerSync:
    store: TicketStore
    scheduler: TimerScheduler

    def consume(self, records: Iterable[TimersChanged]) -> dict:
        """The stream consumer's part: a sync that fails leaves the cue for the reconciler, so
        it never holds up the records behind it."""
        synced = failed = 0
        for record in records:
            previous = self._previous(record)
            if previous is not None and self.sync(record.subject_id, record.timers,
                                                  record.version, previous):
                synced += 1
            else:
                failed += 1
        return {"synced": synced, "failed": failed}

    def _previous(self, record: TimersChanged) -> set[str] | None:
        """Kinds that may be scheduled now: if the last sync did not happen, ask the Scheduler."""
        if record.previous_synced:
            return set(record.previous_timers)
        try:
            pending = {r.kind for r in self.scheduler.pending(record.subject_id)}
        except DependencyError as exc:
            logger.warning("timer sync failed; the reconciler will repair it",
                           extra={"subject_id": record.subject_id, "error": str(exc)})
            return None
        return set(record.previous_timers) | pending

    def sync(self, subject_id: str, timers: tuple[Timer, ...], version: int,
             previous_kinds: Iterable[str]) -> bool:
        """Upsert wanted schedules, delete retired ones, then clear the reconciler's cue."""
        wanted = [TimerRequest(subject_id, t.kind, t.due_at, t.version) for t in timers]
        retired = set(previous_kinds) - {t.kind for t in timers}
        try:
            self.scheduler.sync(subject_id, wanted, sorted(retired))
            self.store.mark_timers_synced(subject_id, version)
            return True
        except DependencyError as exc:
            logger.warning("timer sync failed; the reconciler will repair it",
                           extra={"subject_id": subject_id, "error": str(exc)})
            return False

    def reconcile(self, limit: int = 100) -> dict:
        """Re-apply desired timers for one batch of subjects whose schedules may be out of sync."""
        return self._repair(self.store.unsynced_subjects(limit))

    def drain(self, batch: int, more_time: Callable[[], bool]) -> dict:
        """One batch, then more while time lasts, until the cue is empty: a backlog (after a
        Scheduler outage) clears in one run. Stops at the first failed sync (the Scheduler is
        still struggling: the next run tries again) and when a batch brings no subject it has
        not already tried (a cue that cannot be cleared, or the index lagging)."""
        totals, tried = {"repaired": 0, "failed": 0, "batches": 0}, set()
        while totals["batches"] == 0 or more_time():
            subjects = self.store.unsynced_subjects(batch)
            fresh = [s for s in subjects if s not in tried]
            if not fresh:
                break
            tried.update(fresh)
            result = self._repair(fresh)
            totals["repaired"] += result["repaired"]
            totals["failed"] += result["failed"]
            totals["batches"] += 1
            if result["failed"] or len(subjects) < batch:
                break
        return totals

    def _repair(self, subjects: Iterable[str]) -> dict:
        repaired = failed = 0
        for subject_id in subjects:
            state = self._load(subject_id)
            if state is None:
                continue
            try:
                existing = {r.kind for r in self.scheduler.pending(subject_id)}
            except DependencyError:
                failed += 1
                continue
            if self.sync(subject_id, state.timers, state.version, existing):
                repaired += 1
            else:
                failed += 1
        return {"repaired": repaired, "failed": failed}

    def _load(self, subject_id: str):
        return load_subject(self.store, subject_id)
