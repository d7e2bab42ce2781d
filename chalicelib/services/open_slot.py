"""CMS-4/CMS-8 in the store: claim the customer's open slot, or settle who gives way."""
from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.decisions import Action, Decision
from chalicelib.domain.model import Ticket
from chalicelib.policy import engine
from chalicelib.policy.clocks import finish
from chalicelib.policy.context import RuleContext
from chalicelib.policy.profile import Profile
from chalicelib.policy.rules.open_tickets import (SlotHolder, concurrent_issue, opened_key,
                                                  second_issue)
from chalicelib.policy.verdict import settle

from .plans import Plan
from .ports import SlotWrite, TicketStore, TicketWrite


def claim(store: TicketStore, profile: Profile, ctx: RuleContext, plan: Plan,
          holder: SlotHolder | None, language: str) -> Plan:
    """A new open ticket takes the slot; if another holds it, CMS-4/CMS-8 decide who yields."""
    cms4, cms8 = profile.rule_of_type("one_open_ticket"), profile.rule_of_type("second_issue")
    if not (cms4 or cms8):
        return plan
    ticket = replace(plan.ticket, holds_slot=True)
    key = opened_key(ticket)
    if holder is None or holder.ticket_id == ticket.id:
        return _with_ticket(plan, ticket, slots=(_slot(ticket, None, ticket.id, key),))
    decision = cms4 and concurrent_issue(ctx, cms4.id, cms4.params, holder)
    decision = decision or (cms8 and second_issue(ctx, cms8.id, cms8.params, holder))
    if not decision:
        return _with_ticket(plan, replace(ticket, holds_slot=False))
    if decision.evidence["closed_ticket"] == ticket.id:
        return _yield_to_holder(profile, plan, ctx, decision, holder, language)
    return _displace_holder(store, profile, plan, ctx, ticket, decision, holder, key)


def release(ticket: Ticket) -> tuple[SlotWrite, ...]:
    if not ticket.holds_slot:
        return ()
    return (_slot(ticket, ticket.id, None, ""),)


def _slot(ticket: Ticket, expected: str | None, holder: str | None, key: str) -> SlotWrite:
    return SlotWrite(ticket.marketplace, ticket.seller_id, ticket.customer_id,
                     expected=expected, ticket_id=holder, opened_key=key)


def _with_ticket(plan: Plan, ticket: Ticket, **changes) -> Plan:
    write = replace(plan.tickets[0], ticket=ticket)
    return replace(plan, tickets=(write,) + plan.tickets[1:], ticket=ticket, **changes)


def _yield_to_holder(profile: Profile, plan: Plan, ctx: RuleContext, decision: Decision,
                     holder: SlotHolder, language: str) -> Plan:
    """The new ticket is the newer one: it closes, and the holder's claim is re-checked."""
    verdict = settle(plan.ticket, (decision,), opening=True, now=ctx.now, language=language)
    confirm = _slot(plan.ticket, holder.ticket_id, holder.ticket_id, holder.opened_key)
    return _with_ticket(plan, finish(profile, plan.ticket, verdict.ticket), slots=(confirm,),
                        decisions=engine.order(plan.decisions + (decision,)),
                        deciding=decision, actions=verdict.actions)


def _displace_holder(store: TicketStore, profile: Profile, plan: Plan, ctx: RuleContext, ticket: Ticket,
                     decision: Decision, holder: SlotHolder, key: str) -> Plan:
    """The new ticket is older (a late delivery): it takes the slot and the holder closes."""
    move = _slot(ticket, holder.ticket_id, ticket.id, key)
    writes, actions = (), plan.actions
    old = store.load_ticket(holder.ticket_id)
    if old is not None and old.is_open:
        closed = replace(old.with_decisions((decision,)).closed(ctx.now, "concurrent_issue"),
                         linked_to=ticket.id, holds_slot=False, version=old.version + 1)
        writes = (TicketWrite.replacing(old, finish(profile, old, closed)),)
        actions = actions + (Action("close_thread", {"thread_id": old.thread_id}),)
    planned = _with_ticket(plan, ticket, slots=(move,))
    return replace(planned, tickets=planned.tickets + writes, actions=actions,
                   decisions=engine.order(plan.decisions + (decision,)))

