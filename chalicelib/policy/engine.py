"""Runs a profile's rules on a context, orders the decisions and says which one decided."""
from __future__ import annotations

from dataclasses import dataclass, replace

from chalicelib.domain.decisions import Decision

from .context import RuleContext
from .profile import Profile

SEVERITY = {"reject": 0, "close": 1, "redirect": 2, "chargeable": 3, "request_info": 4,
            "flag": 5, "accept": 6}
DECISIVE = ("reject", "close", "redirect", "chargeable", "request_info")


def evaluate(profile: Profile, ctx: RuleContext, moments: tuple[str, ...]) -> tuple[Decision, ...]:
    """Every rule that runs at one of `moments`, in profile order; no verdict means no decision."""
    found = []
    for rule in profile.rules:
        if rule.when in moments and rule.kind.decide is not None:
            decision = rule.kind.decide(ctx, rule.id, rule.params)
            if decision is not None:
                found.append(replace(decision, shadow=True) if rule.shadow else decision)
    return order(found)


def order(decisions) -> tuple[Decision, ...]:
    """Most severe first; profile order among equals (sorted() is stable)."""
    return tuple(sorted(decisions, key=lambda d: SEVERITY[d.outcome]))


def deciding(decisions: tuple[Decision, ...]) -> Decision | None:
    """A shadow decision is recorded only: it never decides, so it takes no action."""
    return next((d for d in decisions if d.outcome in DECISIVE and not d.shadow), None)


@dataclass(frozen=True)
class Moment:
    """Which rules run for a customer message, given the ticket it lands on."""

    opening: bool
    ticket_open: bool

    def names(self) -> tuple[str, ...]:
        if not self.ticket_open and not self.opening:
            return ("closed_ticket",)
        if self.opening:
            return ("opening", "every_customer_message")
        return ("follow_up", "every_customer_message")
