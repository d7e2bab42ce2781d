"""Re-judge one stored ticket under a profile, with the webhook path's own pure deciders.

Its stored (redacted) messages go through `decide_message` in `sent_at` order with the
business clock at each message's time; the thread's close (`thread.closed`) comes at its
`closed_at`; the ticket's timers fire at their due times, but only those the stored history
shows had fired (a timer still pending in the store has not fired yet). What depends on
other tickets or orders is taken from the store as it is: the ticket that held the
customer's open slot (named by the stored CMS-4/CMS-8 decision) and the customer's payments
that had occurred by each message. Nothing is written.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable

from chalicelib.domain.events import MessageCreated
from chalicelib.domain.model import Author, EarlyClose, Message, Order, Ticket
from chalicelib.policy import clocks
from chalicelib.policy.closing import decide_thread_closed
from chalicelib.policy.effects import Effects
from chalicelib.policy.expiry import decide_timer
from chalicelib.policy.facts import MessageFacts
from chalicelib.policy.messages import decide_message
from chalicelib.policy.money import settled_payments
from chalicelib.policy.profile import Profile
from chalicelib.policy.rules.open_tickets import SlotHolder
from chalicelib.text.facts import TextFacts

SLOT_RULE_TYPES = ("one_open_ticket", "second_issue")
Analyse = Callable[[Message, tuple[str, ...]], TextFacts]


@dataclass(frozen=True)
class History:
    """What the replay takes from outside the ticket, as the store shows it."""

    holder: SlotHolder | None = None  # the other ticket in the stored CMS-4/CMS-8 decision
    orders: tuple[Order, ...] = ()  # the customer's orders on the ticket's marketplace
    as_of: datetime | None = None  # timers due after this have not fired


def replay(stored: Ticket, profile: Profile, history: History, analyse: Analyse) -> Ticket | None:
    """The ticket as `profile` would have left it; None if no message of it was stored."""
    ticket: Ticket | None = None
    early: EarlyClose | None = None
    categories = lexicon_categories(profile)
    for at, message in _events(stored):
        ticket = _fire_due(profile, ticket, at, stored, history)
        if message is None:
            ticket, early = _thread_closed(profile, stored, ticket, at, early)
            continue
        text = analyse(message, categories) if message.author is Author.CUSTOMER else None
        facts = _facts(stored, profile, message, text, ticket, early, history, at)
        ticket = _own(decide_message(facts, at), profile, ticket)
    return _fire_due(profile, ticket, history.as_of, stored, history) if history.as_of else ticket


def lexicon_categories(profile: Profile) -> tuple[str, ...]:
    """As services/handlers.py asks the analysis for them."""
    return tuple(dict.fromkeys(c for r in profile.rules if r.type == "lexicon"
                               for c in r.params.categories))


def _events(stored: Ticket) -> list[tuple[datetime, Message | None]]:
    """Messages in sent order; the thread's close at its time (after a message sent then)."""
    events = [((m.sent_at, 0, m.message_id), m) for m in stored.messages]
    if stored.close_reason == "thread_closed" and stored.closed_at is not None:
        events.append(((stored.closed_at, 1, ""), None))
    return [(key[0], item) for key, item in sorted(events, key=lambda e: e[0])]


def _facts(stored: Ticket, profile: Profile, message: Message, text: TextFacts | None,
           ticket: Ticket | None, early: EarlyClose | None, history: History,
           at: datetime) -> MessageFacts:
    payments = tuple(settled_payments(p for o in history.orders for p in o.payments
                                      if p.occurred_at <= at))
    refunds = tuple(r for o in history.orders for r in o.refunds if r.at <= at)
    event = MessageCreated(thread_id=stored.thread_id, seller_id=stored.seller_id,
                           product_id=stored.product_id, customer_id=stored.customer_id,
                           message=message)
    return MessageFacts(marketplace=stored.marketplace, event=event, profile=profile, text=text,
                        ticket=ticket, early_close=early if ticket is None else None,
                        payments=payments, refunds=refunds, holder=history.holder)


def _thread_closed(profile: Profile, stored: Ticket, ticket: Ticket | None, at: datetime,
                   early: EarlyClose | None) -> tuple[Ticket | None, EarlyClose | None]:
    close = EarlyClose(stored.id, at, "marketplace")
    if ticket is None:
        return None, close
    return _own(decide_thread_closed(profile, ticket, early, close), profile, ticket), early


def _fire_due(profile: Profile, ticket: Ticket | None, until: datetime, stored: Ticket,
              history: History) -> Ticket | None:
    """Due timers fire in due order, at their due time, as the Scheduler fires them."""
    fired: set[tuple[str, datetime]] = set()
    while ticket is not None:
        due = [t for t in ticket.timers if t.due_at <= until and (t.kind, t.due_at) not in fired
               and _fired_in_history(t.kind, t.due_at, stored, history)]
        if not due:
            return ticket
        timer = min(due, key=lambda t: (t.due_at, t.kind))
        fired.add((timer.kind, timer.due_at))
        ticket = _own(decide_timer(profile, ticket, timer.kind, timer.version, timer.due_at),
                      profile, ticket)
    return ticket


def _fired_in_history(kind: str, due_at: datetime, stored: Ticket, history: History) -> bool:
    """A timer the stored ticket still wants, due at or before this one, has not fired yet."""
    pending = stored.timer(kind)
    if pending is not None and pending.due_at <= due_at:
        return False
    return history.as_of is None or due_at <= history.as_of


def _own(effects: Effects, profile: Profile, before: Ticket | None) -> Ticket | None:
    """This ticket's new state, one version on and with its timers derived, as assemble does.
    It is the first update (a late opening that displaces the slot holder adds the holder's)."""
    if not effects.tickets:
        return before
    after = effects.tickets[0].after
    version = before.version + 1 if before is not None else 1
    return clocks.prepare(profile, replace(after, version=version))
