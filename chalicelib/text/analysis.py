"""Text analysis, once per customer message, shared by every rule that reads words."""
from __future__ import annotations

from typing import Iterable

from . import language, lexicons, normalise, questions
from .facts import LexiconHit, TextFacts


def analyse(body: str, categories: Iterable[str] = ()) -> TextFacts:
    """Language, questions and the lexicon categories the profile uses (and only those).

    The message is normalised once (normalise.py) and every judgement reads that view."""
    view = normalise.reader(body)
    guess = language.detect_language(view)
    counted = questions.count_questions(view, guess.language)
    matches = lexicons.judge_all(normalise.matching(view), tuple(categories)) \
        if categories else {}
    return TextFacts(
        language=guess.language, language_probability=guess.probability,
        language_reason=guess.reason, cleaned_chars=guess.cleaned_chars,
        question_count=counted.count, questions=counted.questions,
        lexicons={c: LexiconHit(c, m.matched, m.negated, m.probability, m.unsure)
                  for c, m in matches.items()},
        language_segments=tuple((s.language, s.probability, s.letters)
                                for s in guess.segments + _asked_in(counted.questions, guess)))


ASKS_SHARE = 0.8
"""Asks that are most of the message were judged with it: no second detection."""


def _asked_in(asks: tuple[str, ...], guess: language.LanguageGuess) -> tuple[language.Segment, ...]:
    """The language the customer asks in, as one more segment: English courtesy around a
    French request does not make the request English (issue 16, CMS-2)."""
    text = " ".join(asks)
    letters = sum(map(str.isalpha, text))
    if guess.language is None or not language.MIN_SEGMENT_LETTERS <= letters <= ASKS_SHARE * guess.cleaned_chars:
        return ()
    part = language.detect_part(text)
    return (part,) if part else ()


def warm_up() -> None:
    """Load language profiles and lexicons now: the Lambda init phase, not the first request."""
    language.warm_up()
    lexicons.judge_all("warm up", lexicons.CATEGORIES)
