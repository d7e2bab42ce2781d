"""Decisions: what a rule decided, why, and under which profile version (CRJ-11)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OUTCOMES = ("accept", "reject", "close", "request_info", "chargeable", "redirect", "flag")


@dataclass(frozen=True)
class Decision:
    rule: str
    outcome: str
    reason: str
    policy: str
    evidence: dict[str, Any] = field(default_factory=dict)
    code: str | None = None  # e.g. "too_many_questions"; the reply template key
    shadow: bool = False  # recorded by a `mode: shadow` rule: watched, never acted on

    def to_dict(self) -> dict[str, Any]:
        body = {"rule": self.rule, "outcome": self.outcome, "reason": self.reason,
                "evidence": self.evidence, "policy": self.policy}
        if self.code:
            body["code"] = self.code
        if self.shadow:
            body["shadow"] = True
        return body

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Decision:
        return cls(rule=raw["rule"], outcome=raw["outcome"], reason=raw["reason"],
                   policy=raw["policy"], evidence=raw.get("evidence", {}), code=raw.get("code"),
                   shadow=bool(raw.get("shadow", False)))
