"""CMS-4/CMS-8 at the opening: claim the customer's open slot, or settle who gives way."""
from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import Ticket

from . import engine
from .closing import close_ticket, slot_write
from .context import RuleContext
from .effects import Effects, TicketUpdate
from .facts import MessageFacts
from .rules.open_tickets import concurrent_issue, opened_key, second_issue
from .verdict import settle


def claim(facts: MessageFacts, ctx: RuleContext, effects: Effects, language: str) -> Effects:
    """A new open ticket takes the slot; if another holds it, CMS-4/CMS-8 decide who yields."""
    profile, holder = facts.profile, facts.holder
    cms4, cms8 = profile.rule_of_type("one_open_ticket"), profile.rule_of_type("second_issue")
    if not (cms4 or cms8):
        return effects
    ticket = replace(effects.ticket, holds_slot=True)
    key = opened_key(ticket)
    if holder is None or holder.ticket_id == ticket.id:
        return _with_ticket(effects, ticket, slots=(slot_write(ticket, None, ticket.id, key),))
    decision = cms4 and concurrent_issue(ctx, cms4.id, cms4.params, holder)
    decision = decision or (cms8 and second_issue(ctx, cms8.id, cms8.params, holder))
    if not decision:
        return _with_ticket(effects, replace(ticket, holds_slot=False))
    if decision.evidence["closed_ticket"] == ticket.id:
        return _yield_to_holder(facts, effects, ctx, decision, language)
    return _displace_holder(facts, effects, ctx, ticket, decision, key)


def _with_ticket(effects: Effects, ticket: Ticket, **changes) -> Effects:
    first = replace(effects.tickets[0], after=ticket)
    return replace(effects, tickets=(first,) + effects.tickets[1:], ticket=ticket, **changes)


def _yield_to_holder(facts: MessageFacts, effects: Effects, ctx: RuleContext, decision: Decision,
                     language: str) -> Effects:
    """The new ticket is the newer one: it closes, and the holder's claim is re-checked."""
    holder = facts.holder
    verdict = settle(facts.profile, effects.ticket, (decision,), opening=True, now=ctx.now,
                     language=language)
    confirm = slot_write(effects.ticket, holder.ticket_id, holder.ticket_id, holder.opened_key)
    return _with_ticket(effects, verdict.ticket, slots=(confirm,), deciding=decision,
                        decisions=engine.order(effects.decisions + verdict.decisions),
                        actions=verdict.actions)


def _displace_holder(facts: MessageFacts, effects: Effects, ctx: RuleContext, ticket: Ticket,
                     decision: Decision, key: str) -> Effects:
    """The new ticket is older (a late delivery): it takes the slot and the holder closes
    (the slot moves to the new ticket, so the holder's close releases nothing)."""
    move = slot_write(ticket, facts.holder.ticket_id, ticket.id, key)
    updates, actions, decisions = (), effects.actions, effects.decisions + (decision,)
    old = facts.holder_ticket
    if old is not None and old.is_open:
        closing = close_ticket(facts.profile, old.with_decisions((decision,)), ctx.now,
                               "concurrent_issue", linked_to=ticket.id)
        updates = (TicketUpdate(old, closing.ticket),)
        actions += (closing.action,)
        decisions += closing.breaches
    planned = _with_ticket(effects, ticket, slots=(move,))
    return replace(planned, tickets=planned.tickets + updates, actions=actions,
                   decisions=engine.order(decisions))

