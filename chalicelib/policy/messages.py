"""message.created, decided purely from its facts: the opening rules, follow-ups, clocks, CMS-4."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.model import Author, Message, Ticket, TicketStatus, ticket_id_for

from . import clocks, engine
from .closing import close_ticket
from .context import RuleContext
from .effects import Effects, TicketUpdate
from .facts import MessageFacts
from .open_slot import claim
from .replies import reply_language
from .verdict import settle

MAX_VAULT_ITEMS = 20  # vault items per ticket: closing deletes them in the one transaction


def decide_message(facts: MessageFacts, now: datetime) -> Effects:
    ticket, message = facts.ticket, facts.event.message
    if ticket is not None and ticket.has_message(message.message_id):
        return Effects(ticket=ticket, note="message already recorded")
    if ticket is None:
        return _opening(facts, None, new_ticket(facts), now)
    updated = with_credentials(ticket.with_message(message), facts)
    if opens(ticket, message):
        updated = replace(updated, opened_at=min(ticket.opened_at, message.sent_at))
        return _opening(facts, ticket, updated, now)
    return _follow_up(facts, ticket, updated, now)


def new_ticket(facts: MessageFacts) -> Ticket:
    event = facts.event
    return with_credentials(Ticket(
        id=ticket_id_for(facts.marketplace, event.thread_id), marketplace=facts.marketplace,
        thread_id=event.thread_id, seller_id=event.seller_id, product_id=event.product_id,
        customer_id=event.customer_id, status=TicketStatus.OPEN, opened_at=event.message.sent_at,
        shop_url=event.message.shop_url, messages=(event.message,)), facts)


def with_credentials(ticket: Ticket, facts: MessageFacts) -> Ticket:
    """CRJ-3: the message's vault item joins the ticket's, up to MAX_VAULT_ITEMS per ticket (a
    close deletes them all in one transaction); beyond it they are redacted, counted, not kept."""
    shared = facts.credentials
    kept = shared.kept if len(ticket.vault) < MAX_VAULT_ITEMS else 0
    refs = shared.refs if kept else ()
    return replace(ticket, vault=ticket.vault + refs,
                   credentials_shared=ticket.credentials_shared + shared.found,
                   credentials_not_kept=ticket.credentials_not_kept + shared.found - kept)


def opens(ticket: Ticket, message: Message) -> bool:
    """The customer's first message opens the ticket, even if a seller message overtook it."""
    return message.author is Author.CUSTOMER and ticket.is_open and not ticket.heard_customer


def _opening(facts: MessageFacts, before: Ticket | None, ticket: Ticket, now: datetime) -> Effects:
    """The ticket's opening: its first message, or the customer's first one if a seller message
    overtook it (`before`); a close that came first closes it at once."""
    profile, message = facts.profile, facts.event.message
    ticket, breaches = clocks.after_message(profile, ticket, message)
    update = TicketUpdate(before, ticket, (message,), None if before else facts.early_close)
    if message.author is not Author.CUSTOMER:
        return _closed_early(facts, Effects(tickets=(update,), ticket=ticket, decisions=breaches))
    ctx = _context(facts, ticket, now, opening=True)
    moment = engine.Moment(opening=True, ticket_open=True)
    language = _language(facts)
    verdict = settle(profile, ticket, engine.evaluate(profile, ctx, moment.names()), opening=True,
                     now=now, language=language)
    effects = _closed_early(facts, Effects(
        tickets=(replace(update, after=verdict.ticket),), ticket=verdict.ticket,
        decisions=verdict.decisions + breaches, deciding=verdict.deciding, actions=verdict.actions))
    if not effects.ticket.is_open:
        return effects
    return claim(facts, ctx, effects, language)


def _closed_early(facts: MessageFacts, effects: Effects) -> Effects:
    """A close that arrived before this first message, sent after it: the ticket opens closed.
    A first message sent after that close opens the ticket as usual (the thread went on)."""
    early, ticket = facts.early_close, effects.ticket
    if early is None or not ticket.is_open or ticket.opened_at > early.closed_at:
        return effects
    closing = close_ticket(facts.profile, ticket, early.closed_at, "thread_closed")
    first = replace(effects.tickets[0], after=closing.ticket)
    return replace(effects, tickets=(first,), ticket=closing.ticket,
                   decisions=effects.decisions + closing.breaches)


def _follow_up(facts: MessageFacts, before: Ticket, ticket: Ticket, now: datetime) -> Effects:
    profile, message = facts.profile, facts.event.message
    ticket, breaches = clocks.after_message(profile, ticket, message)
    if message.author is not Author.CUSTOMER:
        return Effects(tickets=(TicketUpdate(before, ticket, (message,)),), ticket=ticket,
                       decisions=breaches)
    moment = engine.Moment(opening=False, ticket_open=before.is_open)
    ctx = _context(facts, ticket, now, opening=False)
    verdict = settle(profile, ticket, engine.evaluate(profile, ctx, moment.names()), opening=False,
                     now=now, language=_language(facts))
    return Effects(tickets=(TicketUpdate(before, verdict.ticket, (message,)),),
                   ticket=verdict.ticket, slots=verdict.slots, deciding=verdict.deciding,
                   decisions=verdict.decisions + breaches, actions=verdict.actions)


def _context(facts: MessageFacts, ticket: Ticket, now: datetime, *, opening: bool) -> RuleContext:
    profile = facts.profile
    return RuleContext(ticket=ticket, message=facts.event.message, text=facts.text, now=now,
                       opening=opening, policy=profile.ref, payments=facts.payments,
                       refunds=facts.refunds, zone=profile.zone)


def _language(facts: MessageFacts) -> str:
    detected = facts.text.language if facts.text else None
    return reply_language(detected, facts.profile.reply_languages)
