"""The result of analysing one message's text: plain data for the rules."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LexiconHit:
    """`matched` non-empty: the category is recognised (lexicon words or the model's evidence);
    `unsure`: the model leans towards it without confidence, the seller should look."""

    category: str
    matched: tuple[str, ...]
    negated: tuple[str, ...] = ()
    probability: float | None = None
    unsure: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextFacts:
    """The text analysis of one message, computed once and shared by all rules."""

    language: str | None
    language_probability: float
    language_reason: str
    cleaned_chars: int
    question_count: int
    questions: tuple[str, ...]
    lexicons: dict[str, LexiconHit] = field(default_factory=dict)
    language_segments: tuple[tuple[str, float, int], ...] = ()
    """(language, probability, letters) of stretches of a long message, sampled across it."""

    def hit(self, category: str) -> LexiconHit | None:
        found = self.lexicons.get(category)
        return found if found and found.matched else None

    def unsure(self, category: str) -> LexiconHit | None:
        found = self.lexicons.get(category)
        return found if found and not found.matched and found.unsure else None
