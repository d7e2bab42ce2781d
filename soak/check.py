"""Final state, invariants and comparisons of a soak run.

* Invariants of the faulty run alone: no lost event, no doubled effect, schedules = timers.
* Against a serial replay of the changes it applied, in the order it applied them and at the
  same instants, without faults or duplicates: every field equal. Faults, retries and
  duplicates must change nothing but the order.
* Against the clean in-order run: STRICT fields always equal (messages, payment and refund
  records, refunds issued); the other fields equal unless the events and timer firings of
  that customer were applied in another order than in the clean run (then counted as
  explained by reordering - e.g. which delivery carries the CMS-4 decision, CMS-6 on a
  message that arrived after the close, the CRJ-4 pending-payment notice).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

from chalicelib.domain.model import Ticket
from chalicelib.services.subjects import load_subject

from .workload import Event

STRICT = {"messages", "payments", "refunds", "refunds_issued"}
ONCE = {"expired", "sla_reminder", "sla_breached", "duplicate_payment", "duplicate_refunded",
        "eligible", "seller_discretion", "ineligible", "entitlement_ended"}


def final_state(env, events: list[Event]) -> dict:
    """Every ticket and order the workload touched, read without faults; messages in sent order."""
    state = {}
    for subject in sorted({e.subject for e in events}):
        found = load_subject(env.store, subject)
        if isinstance(found, Ticket):
            found = replace(found, messages=tuple(
                sorted(found.messages, key=lambda m: (m.sent_at, m.message_id))))
        state[subject] = found
    return state


def view(item) -> dict:
    """The order-independent projection of a ticket or an order."""
    if item is None:
        return {}
    if hasattr(item, "order_id"):
        return {"payments": sorted(map(repr, item.payments)), "refunds": sorted(map(repr, item.refunds)),
                "refunds_issued": sorted(item.refunds_issued),
                "decisions": _decisions(item, skip="payment_pending"),
                "CRJ-4 pending notices": sum(d.code == "payment_pending" for d in item.decisions),
                "timers": sorted((t.kind, t.due_at) for t in item.timers)}
    return {"status": item.status.value, "close_reason": item.close_reason, "linked_to": item.linked_to,
            "messages": sorted(m.message_id for m in item.messages),
            "decisions": _decisions(item, skip="closed_no_reopen"),
            "CMS-6 refusals": sum(d.code == "closed_no_reopen" for d in item.decisions),
            "sla": sorted((c.name, c.state.value) for c in item.sla),
            "timers": sorted((t.kind, t.due_at) for t in item.timers)}


def _decisions(item, skip: str) -> list:
    return sorted(Counter((d.rule, d.code) for d in item.decisions if d.code != skip).items())


def lost(state: dict, events: list[Event], acknowledged: set[int]) -> Counter:
    found = Counter()
    for e in (e for e in events if e.seq in acknowledged):
        item = state.get(e.subject)
        if e.type == "message.created":
            found["messages"] += item is None or not item.has_message(e.ref)
        elif e.type == "thread.closed":
            found["closes"] += item is None or item.is_open
        elif e.type == "payment.updated":
            found["payments"] += item is None or not any(
                f"{p.payment_id}/{p.status}" == e.ref for p in item.payments)
        else:
            found["refunds"] += item is None or not any(
                f"{r.refund_id}/refund.{r.state}" == e.ref for r in item.refunds)
    return found


def doubled(state: dict, applied: list[tuple]) -> Counter:
    found = Counter()
    for item in filter(None, state.values()):
        if hasattr(item, "order_id"):
            found["refunds issued twice"] += len(item.refunds_issued) - len(set(item.refunds_issued))
        else:
            ids = [m.message_id for m in item.messages]
            found["messages stored twice"] += len(ids) - len(set(ids))
        once = Counter((d.rule, d.code, json.dumps(d.evidence, sort_keys=True))
                       for d in item.decisions if d.code in ONCE)
        found["decisions recorded twice"] += sum(n - 1 for n in once.values())
    hooks = Counter((m, w) for m, w, *_ in applied)
    found["deliveries applied twice"] += sum(n - 1 for n in hooks.values())
    refunds = Counter(a["payment_id"] for *_, response in applied for a in response["actions"]
                      if a["type"] == "refund")
    found["refund actions issued twice"] += sum(n - 1 for n in refunds.values())
    return found


def schedules(state: dict, pending: list) -> tuple[int, int]:
    """(missing, orphan): wanted timers without their schedule, schedules no timer wants."""
    wanted = {(s, t.kind, t.version, t.due_at) for s, item in state.items() if item for t in item.timers}
    scheduled = {(r.subject_id, r.kind, r.version, r.due_at) for r in pending}
    return len(wanted - scheduled), len(scheduled - wanted)


def op_orders(env, events: list[Event]) -> dict[str, list]:
    """Per customer group, the state-changing events and timer firings in the order applied."""
    by_hook = {(e.marketplace, e.webhook_id): e for e in events}
    by_hook.update({(e.marketplace, f"{e.webhook_id}-resent"): e for e in events})
    group_of = {e.subject: e.group for e in events}
    orders: dict[str, list] = {}
    for marketplace, hook, _, changed, _ in env.applied:
        if not changed:
            continue
        if (marketplace, hook) in by_hook:
            event = by_hook[(marketplace, hook)]
            orders.setdefault(event.group, []).append(event.seq)
        else:
            fired = env.fired[hook]
            orders.setdefault(group_of[fired.subject_id], []).append(
                (fired.subject_id, fired.kind, fired.due_at))
    return orders


def swapped_pairs(env, events: list[Event]) -> dict[str, tuple[int, int]]:
    """Per kind of tight pair: (applied in the other order, pairs) in the faulty run."""
    seq_of = {(e.marketplace, e.webhook_id): e.seq for e in events}
    seq_of.update({(e.marketplace, f"{e.webhook_id}-resent"): e.seq for e in events})
    position: dict[int, int] = {}
    for n, (marketplace, hook, *_) in enumerate(env.applied):
        if (marketplace, hook) in seq_of:
            position.setdefault(seq_of[(marketplace, hook)], n)
    found: dict[str, list[int]] = {}
    for e in events:
        if e.tight and e.seq in position and e.tight[0] in position:  # else lost: counted there
            before, kind = e.tight
            counts = found.setdefault(kind, [0, 0])
            counts[0] += position[e.seq] < position[before]
            counts[1] += 1
    return {kind: (swapped, total) for kind, (swapped, total) in sorted(found.items())}


def compare(state: dict, reference: dict, reordered: set[str], group_of: dict[str, str]):
    """(unexplained, explained): Counters of differing fields, by field name."""
    unexplained, explained = Counter(), Counter()
    for subject in sorted(set(state) | set(reference)):
        mine, theirs = view(state.get(subject)), view(reference.get(subject))
        for key in sorted(set(mine) | set(theirs)):
            if mine.get(key) == theirs.get(key):
                continue
            excused = key not in STRICT and group_of[subject] in reordered
            (explained if excused else unexplained)[key] += 1
    return unexplained, explained
