"""One webhook: seal and analyse once, then load -> decide -> assemble -> commit, per event type."""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Callable

from chalicelib.domain import events
from chalicelib.domain.errors import SlotTakenError
from chalicelib.domain.model import Author, EarlyClose, ticket_id_for
from chalicelib.policy.closing import decide_thread_closed
from chalicelib.policy.messages import decide_message
from chalicelib.policy.orders import decide_payment, decide_refund
from chalicelib.policy.profile import Profile
from chalicelib.policy.rules.open_tickets import SlotHolder
from chalicelib.text.facts import TextFacts

from .assemble import assemble
from .commit import Outcome, commit_decided
from .credentials import CredentialKeeper, Protected
from .loaders import Loader
from .notices import Cause
from .ports import Change, TicketStore
from .profiles import Profiles


@dataclass(frozen=True)
class _Prepared:
    event: events.MessageCreated  # its message redacted
    protected: Protected
    text: TextFacts | None


@dataclass
class WebhookHandlers:
    store: TicketStore
    loader: Loader
    profiles: Profiles
    keeper: CredentialKeeper
    analyse: Callable[[str, tuple[str, ...]], TextFacts]
    sleep: Callable[[float], None] = field(default=time.sleep)

    def handle(self, delivery: events.Delivery, event: events.Event, now: datetime) -> Outcome:
        cause = Cause("webhook", delivery.event_type)
        match event:
            case events.MessageCreated():
                return self._message(delivery, event, now, cause)
            case events.ThreadClosed():
                return self._commit(delivery,
                                    lambda: self._thread_closed(delivery, event, now, cause))
            case events.PaymentUpdated(payment=payment):
                return self._commit(delivery, lambda: self._payment(delivery, payment, now, cause))
            case events.RefundRequested(refund=refund) | events.RefundCompleted(refund=refund):
                return self._commit(delivery, lambda: self._refund(delivery, refund, now, cause))
        raise TypeError(f"no handler for {type(event).__name__}")

    def _commit(self, delivery: events.Delivery, decide: Callable[[], Change], **hooks) -> Outcome:
        return commit_decided(self.store, delivery, decide, self.sleep, **hooks)

    def _message(self, delivery: events.Delivery, event: events.MessageCreated, now: datetime,
                 cause: Cause) -> Outcome:
        """Credentials are sealed and the text analysed once, and only for a message the ticket
        does not hold yet (a re-sent one costs one read); a retry only reloads and decides."""
        marketplace = delivery.marketplace
        profile = self.profiles.profile_for(marketplace, event.seller_id)
        holder: SlotHolder | None = None  # learnt from a commit that found the slot taken
        prepared: _Prepared | None = None

        def decide() -> Change:
            nonlocal prepared
            facts = self.loader.message(marketplace, event, profile, holder)
            if facts.ticket is None or not facts.ticket.has_message(event.message.message_id):
                prepared = prepared or self._prepare(marketplace, event, profile)
                facts = replace(facts, event=prepared.event, text=prepared.text,
                                credentials=prepared.protected.credentials)
            sealed = prepared.protected.sealed if prepared else ()
            return assemble(delivery, decide_message(facts, now), profile, now, cause=cause,
                            sealed=sealed)

        def slot_taken(exc: SlotTakenError) -> None:
            nonlocal holder
            holder = SlotHolder(exc.ticket_id, exc.opened_key)

        return self._commit(delivery, decide, slot_taken=slot_taken)

    def _prepare(self, marketplace: str, event: events.MessageCreated,
                 profile: Profile) -> _Prepared:
        """The message as it may be stored (credentials sealed, CRJ-3) and its text analysis."""
        protected = self.keeper.protect(ticket_id_for(marketplace, event.thread_id), event.message)
        message = protected.message
        categories = tuple(dict.fromkeys(
            c for r in profile.rules if r.type == "lexicon" for c in r.params.categories))
        text = self.analyse(message.body, categories) if message.author is Author.CUSTOMER else None
        return _Prepared(replace(event, message=message), protected, text)

    def _thread_closed(self, delivery: events.Delivery, event: events.ThreadClosed, now: datetime,
                       cause: Cause) -> Change:
        ticket_id = ticket_id_for(delivery.marketplace, event.thread_id)
        ticket, early, profile = self.loader.thread(ticket_id)
        closing = EarlyClose(ticket_id, event.closed_at, event.closed_by)
        return assemble(delivery, decide_thread_closed(profile, ticket, early, closing), profile,
                        now, cause=cause)

    def _payment(self, delivery: events.Delivery, payment, now: datetime,
                 cause: Cause) -> Change:
        facts = self.loader.order(delivery.marketplace, payment.order_id, seller_id=payment.seller_id,
                                  customer_id=payment.customer_id)
        return assemble(delivery, decide_payment(facts, delivery.marketplace, payment),
                        facts.profile, now, cause=cause)

    def _refund(self, delivery: events.Delivery, refund, now: datetime, cause: Cause) -> Change:
        facts = self.loader.order(delivery.marketplace, refund.order_id, seller_id=refund.seller_id,
                                  customer_id=refund.customer_id, refund=refund)
        return assemble(delivery, decide_refund(facts, delivery.marketplace, refund, now),
                        facts.profile, now, cause=cause)
