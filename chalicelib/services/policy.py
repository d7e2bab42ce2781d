"""Applies the seller's policy profile to messages and turns the verdict into a Plan."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable

from chalicelib.domain.errors import DependencyError, ProfileError
from chalicelib.domain.events import MessageCreated
from chalicelib.domain.model import Author, EarlyClose, Ticket
from chalicelib.policy import clocks, engine
from chalicelib.policy.catalog import ProfileCatalog
from chalicelib.policy.money import settled_payments
from chalicelib.policy.context import RuleContext
from chalicelib.policy.profile import Profile
from chalicelib.policy.replies import reply_language
from chalicelib.policy.rules.open_tickets import SlotHolder
from chalicelib.policy.verdict import settle
from chalicelib.text.facts import TextFacts

from . import open_slot
from .plans import Plan, added_decisions
from .ports import TenantDirectory, TicketStore, TicketWrite

MONEY_RULE_TYPES = ("other_shop", "incompatible_version", "support_entitlement")


@dataclass
class PolicyService:
    store: TicketStore
    tenants: TenantDirectory
    catalog: ProfileCatalog
    analyse: Callable[[str, tuple[str, ...]], TextFacts]

    def profile_for(self, marketplace: str, seller_id: str) -> Profile:
        seller = self.tenants.seller(seller_id)
        market = self.tenants.marketplace(marketplace)
        name = (seller.policy if seller and seller.policy else None) or (market.policy if market else None)
        try:
            return self.catalog.get(name or "")
        except ProfileError as exc:
            raise DependencyError(f"policy configuration: {exc}") from exc

    def on_open(self, before: Ticket | None, ticket: Ticket, event: MessageCreated, now: datetime,
                holder: SlotHolder | None, early_close: EarlyClose | None = None) -> Plan:
        """The ticket's opening: its first message, or the customer's first one if a seller
        message overtook it (`before`); a close that came first closes it at once."""
        profile = self.profile_for(ticket.marketplace, ticket.seller_id)
        ticket = clocks.after_message(profile, ticket, event.message)
        write = (TicketWrite.replacing(before, ticket, (event.message,)) if before else
                 TicketWrite(ticket, early_close and early_close.version, (event.message,)))
        if event.message.author is not Author.CUSTOMER:
            return self._plan(profile, before, _closed_early(ticket, early_close), write)
        ctx = self._context(profile, ticket, event, now, opening=True)
        moment = engine.Moment(opening=True, ticket_open=True)
        verdict = settle(ticket, engine.evaluate(profile, ctx, moment.names()), opening=True,
                         now=now, language=self._language(profile, ctx))
        plan = self._plan(profile, before, _closed_early(verdict.ticket, early_close), write,
                          decisions=verdict.decisions, actions=verdict.actions, deciding=verdict.deciding)
        if not plan.ticket.is_open:
            return plan
        return open_slot.claim(self.store, profile, ctx, plan, holder, self._language(profile, ctx))

    def on_message(self, before: Ticket, after: Ticket, event: MessageCreated, now: datetime) -> Plan:
        profile = self.profile_for(after.marketplace, after.seller_id)
        write = TicketWrite.replacing(before, after, (event.message,))
        after = clocks.after_message(profile, after, event.message)
        if event.message.author is not Author.CUSTOMER:
            return self._plan(profile, before, after, write)
        moment = engine.Moment(opening=False, ticket_open=before.is_open)
        ctx = self._context(profile, after, event, now, opening=False)
        verdict = settle(after, engine.evaluate(profile, ctx, moment.names()), opening=False,
                         now=now, language=self._language(profile, ctx))
        slots = open_slot.release(before) if before.is_open and not verdict.ticket.is_open else ()
        return self._plan(profile, before, verdict.ticket, write, slots=slots,
                          decisions=verdict.decisions, actions=verdict.actions, deciding=verdict.deciding)

    def finish(self, before: Ticket, after: Ticket) -> Ticket:
        """Clocks and timers of a ticket changed by something other than a message."""
        return clocks.finish(self.profile_for(after.marketplace, after.seller_id), before, after)

    @staticmethod
    def _plan(profile: Profile, before: Ticket | None, ticket: Ticket, write: TicketWrite,
              decisions: tuple = (), **fields) -> Plan:
        """The write and the answer; SLA breaches the clocks recorded are answered too."""
        ticket = clocks.finish(profile, before, ticket)
        decisions += tuple(d for d in added_decisions(before, ticket) if d not in decisions)
        return Plan(tickets=(replace(write, ticket=ticket),), ticket=ticket, decisions=decisions,
                    **fields)

    def _context(self, profile: Profile, ticket: Ticket, event: MessageCreated, now: datetime,
                 *, opening: bool) -> RuleContext:
        categories = tuple(dict.fromkeys(
            c for r in profile.rules if r.type == "lexicon" for c in r.params.categories))
        payments, refunds = (), ()
        if opening and any(profile.rule_of_type(t) for t in MONEY_RULE_TYPES):
            orders = [o for o in self.store.orders_for_customer(ticket.seller_id, ticket.customer_id)
                      if o.marketplace == ticket.marketplace]
            payments = tuple(settled_payments(p for o in orders for p in o.payments))
            refunds = tuple(r for o in orders for r in o.refunds)
        return RuleContext(ticket=ticket, message=event.message,
                           text=self.analyse(event.message.body, categories), now=now,
                           opening=opening, policy=profile.ref, payments=payments,
                           refunds=refunds, zone=profile.zone)

    @staticmethod
    def _language(profile: Profile, ctx: RuleContext) -> str:
        return reply_language(ctx.text.language, profile.reply_languages)


def _closed_early(ticket: Ticket, early_close: EarlyClose | None) -> Ticket:
    """A close that arrived before this first message, sent after it: the ticket opens closed.
    A first message sent after that close opens the ticket as usual (the thread went on)."""
    if early_close is None or not ticket.is_open or ticket.opened_at > early_close.closed_at:
        return ticket
    return ticket.closed(early_close.closed_at, "thread_closed")
