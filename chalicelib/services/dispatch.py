"""Deliver notices: one lane per (endpoint, subject), its head in flight, retries held by timers."""
from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Callable

from chalicelib.domain.errors import ConcurrencyError
from chalicelib.domain.notices import NoticeType
from chalicelib.domain.outbound import (RETRY_KIND, Attempt, Dispatch, DispatchState, Endpoint,
                                        EndpointStatus, Lane, StoredNotice, owner_of_marketplace,
                                        owner_of_seller, retry_wait, split_dispatch_id)

from . import endpoint_health
from .notice_signing import signed_headers
from .outbound_ports import NoticeSender, OutboundStore
from .ports import Clock, CredentialVault, TimerRequest, TimerScheduler

logger = logging.getLogger("ticketwarden.notices")
LANE_TRIES = 20
EARLY_TOLERANCE = timedelta(seconds=1)  # Scheduler fires on whole seconds


def secret_context(endpoint_id: str) -> str:
    """The vault's encryption context of an endpoint secret (never a ticket id: they cannot clash)."""
    return f"endpoint:{endpoint_id}"


@dataclass
class Dispatcher:
    store: OutboundStore
    sender: NoticeSender
    vault: CredentialVault
    scheduler: TimerScheduler
    clock: Clock  # business time: attempts and retry waits (the test clock locally)
    wall_clock: Clock  # signatures: receivers check the real time
    rng: random.Random = field(default_factory=random.Random)
    on_attempt: Callable[[StoredNotice, Endpoint, Attempt], None] | None = None  # soak/bench probes

    # ---------------------------------------------------------------- fan-out
    def fan_out(self, notices: list[StoredNotice]) -> None:
        """Store each notice, then queue it for every subscribed endpoint (idempotent)."""
        for notice in notices:
            self.store.put_notice(notice)
            for endpoint in self.targets(notice):
                self._enqueue(notice, endpoint)

    def targets(self, notice: StoredNotice) -> list[Endpoint]:
        owners = [owner_of_seller(notice.seller_id)]
        if notice.type is NoticeType.ACTION_REQUESTED:
            owners.insert(0, owner_of_marketplace(notice.marketplace))
        found = [e for owner in owners for e in self.store.endpoints_of(owner) if e.wants(notice.type)]
        if notice.type in (NoticeType.ENDPOINT_FAILING, NoticeType.ENDPOINT_DISABLED):
            found = [e for e in found if e.id != notice.subject_id]  # the seller's *other* endpoints
        return found

    def _enqueue(self, notice: StoredNotice, endpoint: Endpoint) -> None:
        dispatch = self.store.load_dispatch(notice.id, endpoint.id)
        if dispatch is None:
            dispatch = Dispatch(notice.id, endpoint.id, notice.subject_id, self.clock.now())
            try:
                self.store.put_dispatch(dispatch, None)
            except ConcurrencyError:
                dispatch = self.store.load_dispatch(notice.id, endpoint.id)
        if dispatch is not None and not dispatch.finished:
            lane = self._change_lane(endpoint.id, notice.subject_id, lambda l: l.appended(notice.id))
            if lane.head != notice.id:
                return  # the head is in flight; this one follows it
        self.drain(endpoint.id, notice.subject_id)  # a replay: a finished head may await its pop

    # ---------------------------------------------------------------- the lane
    def drain(self, endpoint_id: str, subject_id: str) -> None:
        """Attempt the head; when it is delivered or exhausted, the next one at once."""
        for _ in range(1000):
            lane = self.store.load_lane(endpoint_id, subject_id)
            if lane.head is None:
                return
            dispatch = self.store.load_dispatch(lane.head, endpoint_id)
            if dispatch is not None and not dispatch.finished:
                if dispatch.next_at and dispatch.next_at > self.clock.now() + EARLY_TOLERANCE:
                    self._hold(dispatch)  # re-set its timer (idempotent): a crash may have lost it
                    return
                dispatch = self._attempt(dispatch)
                if dispatch is None or not dispatch.finished:
                    return
            self._change_lane(endpoint_id, subject_id, lambda l, head=lane.head: l.without(head))

    def retry(self, dispatch_ref: str) -> str:
        """A retry timer fired: attempt the dispatch if it still heads its lane and is due."""
        notice_id, endpoint_id = split_dispatch_id(dispatch_ref)
        dispatch = self.store.load_dispatch(notice_id, endpoint_id)
        if dispatch is None:
            return "nothing to retry"
        self.drain(endpoint_id, dispatch.subject_id)  # finished: a crash may have kept it at the head
        return "retried"

    def _change_lane(self, endpoint_id: str, subject_id: str, change: Callable[[Lane], Lane]) -> Lane:
        for _ in range(LANE_TRIES):
            lane = self.store.load_lane(endpoint_id, subject_id)
            updated = change(lane)
            if updated.queue == lane.queue:
                return lane
            try:
                self.store.put_lane(updated, lane.version)
                return replace(updated, version=lane.version + 1)
            except ConcurrencyError:
                continue
        raise ConcurrencyError(f"lane {endpoint_id}/{subject_id} kept moving")

    # ---------------------------------------------------------------- one attempt
    def _attempt(self, dispatch: Dispatch, counted: bool = True) -> Dispatch | None:
        endpoint = self.store.load_endpoint(dispatch.endpoint_id)
        notice = self.store.load_notice(dispatch.notice_id)
        if endpoint is None or notice is None:
            return self._save(dispatch, replace(dispatch, state=DispatchState.EXHAUSTED,
                                                next_at=None, version=dispatch.version + 1))
        if endpoint.status is EndpointStatus.DISABLED and counted:
            return dispatch  # kept: listed, and resent on demand
        attempt = self._send(notice, endpoint)
        recorded = dispatch.recorded(attempt, counted)
        if attempt.ok:
            saved = self._save(dispatch, replace(recorded, state=DispatchState.DELIVERED, next_at=None))
            self._endpoint_succeeded(endpoint)
            return saved
        gone = attempt.status_code == 410
        if counted and not gone:
            recorded = self._next(recorded, attempt)
        saved = self._save(dispatch, recorded)
        self._endpoint_failed(endpoint, notice, gone)
        if saved is not None and saved.next_at is not None:
            self._hold(saved)
        return saved

    def _next(self, dispatch: Dispatch, attempt: Attempt) -> Dispatch:
        wait = retry_wait(dispatch.attempt_count, self.rng, attempt.retry_after)
        if wait is None:
            return replace(dispatch, state=DispatchState.EXHAUSTED, next_at=None)
        return replace(dispatch, next_at=self.clock.now() + wait)

    def _send(self, notice: StoredNotice, endpoint: Endpoint) -> Attempt:
        now = self.clock.now()
        secrets = [self.vault.open(secret_context(endpoint.id), s.sealed)
                   for s in endpoint.active_secrets(now)]
        body = json.dumps(notice.envelope(), separators=(",", ":"))
        headers = signed_headers(notice.id, body, secrets, self.wall_clock.now())
        answer = self.sender.post(endpoint.url, body.encode(), headers)
        attempt = Attempt(now, answer.status_code, answer.duration_ms, answer.error, answer.retry_after)
        logger.info("notice attempt", extra={"notice_id": notice.id, "endpoint_id": endpoint.id,
                                             "status_code": answer.status_code, "error": answer.error})
        if self.on_attempt:
            self.on_attempt(notice, endpoint, attempt)
        return attempt

    def _save(self, before: Dispatch, after: Dispatch) -> Dispatch | None:
        try:
            self.store.put_dispatch(after, before.version)
            return after
        except ConcurrencyError:
            return None  # attempted concurrently (a resend): the other writer owns it now

    def _hold(self, dispatch: Dispatch) -> None:
        self.scheduler.sync(dispatch.id, [TimerRequest(dispatch.id, RETRY_KIND, dispatch.next_at,
                                                       dispatch.attempt_count)], [])

    # ---------------------------------------------------------------- endpoint health
    def _endpoint_succeeded(self, endpoint: Endpoint) -> None:
        updated = endpoint_health.after_success(endpoint, self.clock.now())
        if updated is not None:
            self._put_endpoint(endpoint, updated)

    def _endpoint_failed(self, endpoint: Endpoint, notice: StoredNotice, gone: bool) -> None:
        now = self.clock.now()
        updated, warnings = endpoint_health.after_failure(endpoint, now, gone)
        if not self._put_endpoint(endpoint, updated):
            return
        if warnings:
            logger.warning("endpoint failing", extra={"endpoint_id": endpoint.id, "owner": endpoint.owner,
                                                      "status": updated.status.value,
                                                      "failing_since": updated.failing_since.isoformat()})
        if not updated.is_seller:
            return  # a marketplace's endpoint: the operator's alarm, not a notice
        self.fan_out([endpoint_health.warning_notice(updated, kind, notice.marketplace, now)
                      for kind in warnings])

    def _put_endpoint(self, before: Endpoint, after: Endpoint) -> bool:
        try:
            self.store.put_endpoint(after, before.version)
            return True
        except ConcurrencyError:
            return False  # another attempt updated it first: its view wins

    # ---------------------------------------------------------------- resend
    def resend(self, notice: StoredNotice, endpoints: list[Endpoint]) -> list[Dispatch]:
        """One more attempt now to each endpoint (outside the retry series); a delivered head
        frees its lane."""
        results = []
        for endpoint in endpoints:
            dispatch = self.store.load_dispatch(notice.id, endpoint.id)
            if dispatch is None:
                dispatch = Dispatch(notice.id, endpoint.id, notice.subject_id, self.clock.now())
                self.store.put_dispatch(dispatch, None)
            done = self._attempt(dispatch, counted=False)
            if done is not None and done.state is DispatchState.DELIVERED:
                self._change_lane(endpoint.id, notice.subject_id, lambda l: l.without(notice.id))
                self.drain(endpoint.id, notice.subject_id)
            results.append(done or dispatch)
        return results
