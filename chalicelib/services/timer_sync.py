"""After the commit: make the named schedules match the timers tickets want; repair later if not."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from chalicelib.domain.errors import DependencyError
from chalicelib.domain.model import Ticket

from .ports import TicketStore, TicketWrite, TimerRequest, TimerScheduler

logger = logging.getLogger("ticketwarden.timers")


@dataclass
class TimerSync:
    store: TicketStore
    scheduler: TimerScheduler

    def after_commit(self, writes: tuple[TicketWrite, ...]) -> None:
        for write in writes:
            if not write.ticket.timers_synced:
                self.sync(write.ticket, write.previous_timers)

    def sync(self, ticket: Ticket, previous_kinds) -> bool:
        """Upsert wanted schedules, delete retired ones, then clear the reconciler's cue."""
        wanted = [TimerRequest(ticket.id, t.kind, t.due_at, t.version) for t in ticket.timers]
        retired = set(previous_kinds) - {t.kind for t in ticket.timers}
        try:
            self.scheduler.sync(ticket.id, wanted, sorted(retired))
            self.store.mark_timers_synced(ticket.id, ticket.version)
            return True
        except DependencyError as exc:
            logger.warning("timer sync failed; the reconciler will repair it",
                           extra={"ticket_id": ticket.id, "error": str(exc)})
            return False

    def reconcile(self, limit: int = 100) -> dict:
        """Re-apply desired timers for tickets whose schedules may be out of sync."""
        repaired = failed = 0
        for ticket_id in self.store.unsynced_ticket_ids(limit):
            ticket = self.store.load_ticket(ticket_id)
            if ticket is None:
                continue
            try:
                existing = {r.kind for r in self.scheduler.pending(ticket_id)}
            except DependencyError:
                failed += 1
                continue
            if self.sync(ticket, existing):
                repaired += 1
            else:
                failed += 1
        return {"repaired": repaired, "failed": failed}
