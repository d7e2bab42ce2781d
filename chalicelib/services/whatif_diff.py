"""How two decision trails of one ticket differ, per rule; and why a replay may differ from
what was stored (the differences the report explains, by kind)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import Ticket
from chalicelib.policy.profile import Profile

from .replay import SLOT_RULE_TYPES

MONEY_RULE_TYPES = ("other_shop", "incompatible_version", "support_entitlement",
                    "customization_window")
EXPLANATIONS = {
    "open_slot": "depends on another ticket: which one held the customer's open slot (CMS-4/CMS-8)",
    "arrival_order": "depends on arrival order: a message delivered after the close, or out of "
                     "sent order (CMS-6 judges by arrival)",
    "orders": "depends on orders and payments at the time (entitlements, PS-8 terminations)",
    "profile_version": "decided under another version of the profile than the current one",
    "timer_delay": "a timer fired later than due in the stored history (after the ticket had "
                   "moved on), the replay fires it on time",
}
TIMER_CODES = ("sla_reminder", "sla_breached", "expired")


@dataclass(frozen=True)
class RuleChange:
    rule: str
    change: str  # appears | disappears | changes
    before: str | None  # outcome[/code]
    after: str | None
    evidence: dict[str, Any]
    shadow: bool = False

    def view(self) -> dict[str, Any]:
        return {"rule": self.rule, "change": self.change, "before": self.before,
                "after": self.after, "evidence": self.evidence,
                **({"shadow": True} if self.shadow else {})}


@dataclass(frozen=True)
class TicketDiff:
    ticket_id: str
    thread_id: str
    opened_at: str
    status_before: str
    status_after: str
    changes: tuple[RuleChange, ...]
    explained: str | None = None  # a kind of EXPLANATIONS, for replay-vs-stored differences

    def view(self) -> dict[str, Any]:
        body = {"ticket_id": self.ticket_id, "thread_id": self.thread_id,
                "opened_at": self.opened_at, "status": [self.status_before, self.status_after],
                "changes": [c.view() for c in self.changes]}
        if self.explained:
            body["explained"] = self.explained
        return body


def diff(before: Ticket, after: Ticket) -> TicketDiff | None:
    """None when both trails hold the same decisions (rule, outcome, code) and status."""
    changes = rule_changes(before.decisions, after.decisions)
    if not changes and before.status == after.status:
        return None
    return TicketDiff(before.id, before.thread_id, before.opened_at.isoformat(),
                      before.status.value, after.status.value, changes)


def rule_changes(before: tuple[Decision, ...], after: tuple[Decision, ...]) -> tuple[RuleChange, ...]:
    found: list[RuleChange] = []
    for rule in dict.fromkeys(d.rule for d in after + before):  # the new trail's order first
        old = [d for d in before if d.rule == rule]
        new = [d for d in after if d.rule == rule]
        for index in range(max(len(old), len(new))):
            was = old[index] if index < len(old) else None
            now = new[index] if index < len(new) else None
            if was is not None and now is not None and _label(was) == _label(now):
                continue
            kind = "changes" if was and now else ("appears" if now else "disappears")
            shown = now or was
            found.append(RuleChange(rule, kind, was and _label(was), now and _label(now),
                                    shown.evidence, shown.shadow))
    return tuple(found)


def _label(decision: Decision) -> str:
    label = f"{decision.outcome}/{decision.code}" if decision.code else decision.outcome
    return f"{label} (shadow)" if decision.shadow else label


def explain(stored: Ticket, found: TicketDiff, profile: Profile) -> TicketDiff:
    """Name the kind of a replay-vs-stored difference, or leave it unexplained."""
    types = {r.id: r.type for r in profile.rules}
    rule_types = {types.get(c.rule) for c in found.changes}
    kind = None
    if any(d.policy != profile.ref for d in stored.decisions):
        kind = "profile_version"
    elif rule_types & set(SLOT_RULE_TYPES) or any(types.get(d.rule) in SLOT_RULE_TYPES
                                                for d in stored.decisions):
        kind = "open_slot"
    elif "closed_no_reopen" in rule_types or _out_of_order(stored):
        kind = "arrival_order"
    elif rule_types & set(MONEY_RULE_TYPES) or stored.close_reason == "entitlement_ended":
        kind = "orders"
    elif found.changes and all(_timer_code(c.before) or _timer_code(c.after) for c in found.changes):
        kind = "timer_delay"
    return replace(found, explained=kind)


def _timer_code(label: str | None) -> bool:
    return label is not None and label.split("/")[-1].split(" ")[0] in TIMER_CODES


def _out_of_order(stored: Ticket) -> bool:
    """Messages are stored in arrival order: was any delivered before one sent earlier?"""
    sent = [(m.sent_at, m.message_id) for m in stored.messages]
    return sent != sorted(sent)
