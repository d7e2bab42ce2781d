"""After the commit: make the named schedules match the timers tickets and orders want;
repair later if that fails (the reconciler)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Iterable

from chalicelib.domain.errors import DependencyError
from chalicelib.domain.model import Timer, parse_order_subject

from .ports import Change, TicketStore, TimerRequest, TimerScheduler

logger = logging.getLogger("ticketwarden.timers")


@dataclass
class TimerSync:
    store: TicketStore
    scheduler: TimerScheduler

    def after_commit(self, change: Change) -> None:
        subjects = [(w.ticket.id, w.ticket, w) for w in change.tickets]
        subjects += [(w.order.subject_id, w.order, w) for w in change.orders]
        for subject_id, state, write in subjects:
            if state.timers_synced:
                continue
            previous = self._previous(subject_id, write)
            if previous is not None:
                self.sync(subject_id, state.timers, state.version, previous)

    def _previous(self, subject_id: str, write) -> set[str] | None:
        """Kinds that may be scheduled now: if the last sync did not happen, ask the Scheduler."""
        if write.previous_synced:
            return set(write.previous_timers)
        try:
            return set(write.previous_timers) | {r.kind for r in self.scheduler.pending(subject_id)}
        except DependencyError:
            return None  # the cue stays; the reconciler repairs it

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
        order = parse_order_subject(subject_id)
        return self.store.load_order(*order) if order else self.store.load_ticket(subject_id)
