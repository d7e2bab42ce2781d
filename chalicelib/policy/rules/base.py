"""Shared pieces of rule types: parameter models and the decision builder."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from chalicelib.domain.decisions import Decision
from chalicelib.policy.context import RuleContext

Outcome = Literal["accept", "reject", "close", "request_info", "chargeable", "redirect", "flag"]


class Params(BaseModel):
    # defer_build: a rule's validator is built when a profile is first validated, not at import;
    # the precompiled built-in profiles (profile.py) are unpickled without it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def decide(ctx: RuleContext, rule_id: str, outcome: str, code: str, reason: str,
           **evidence) -> Decision:
    return Decision(rule=rule_id, outcome=outcome, reason=reason, policy=ctx.policy,
                    evidence=evidence, code=code)
