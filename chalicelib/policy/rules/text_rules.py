"""Rule types that read the shared text analysis: language, question count, lexicons."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.domain.decisions import Decision
from chalicelib.policy.context import RuleContext

from .base import Outcome, Params, decide


SEGMENT_PROBABILITY = 0.9
"""A part of a message is judged on less text than the whole: it must be surer to refuse."""


class LanguageParams(Params):
    allowed: Annotated[list[str], Field(min_length=1)] = ["en"]
    min_probability: Annotated[float, Field(ge=0, le=1)] = 0.8


def language(ctx: RuleContext, rule_id: str, params: LanguageParams) -> Decision | None:
    """CMS-2 and kin: refuse a language outside the list; never refuse what cannot be told."""
    text = ctx.text
    evidence = {"detected": text.language, "probability": round(text.language_probability, 3),
                "cleaned_chars": text.cleaned_chars}
    if text.language is None:
        if not ctx.opening:  # "Thanks!" after the opening: nothing to judge, nothing to flag
            return None
        return decide(ctx, rule_id, "flag", "language_undetermined",
                      f"language could not be determined ({text.language_reason})", **evidence)
    if text.language not in params.allowed and text.language_probability >= params.min_probability:
        return decide(ctx, rule_id, "reject", "language",
                      f"written in '{text.language}', allowed: {', '.join(params.allowed)}",
                      **evidence)
    switched = [s for s in text.language_segments  # a part written in another language
                if s[0] not in params.allowed and s[1] >= max(params.min_probability, SEGMENT_PROBABILITY)]
    if not switched:
        return None
    other, probability, letters = max(switched, key=lambda s: s[2])
    return decide(ctx, rule_id, "reject", "language",
                  f"partly written in '{other}' ({letters} letters), allowed: "
                  f"{', '.join(params.allowed)}", **evidence, part=other,
                  part_probability=round(probability, 3))


class QuestionParams(Params):
    min: Annotated[int, Field(ge=0)] = 1
    max: Annotated[int, Field(ge=1)] = 3


def question_count(ctx: RuleContext, rule_id: str, params: QuestionParams) -> Decision | None:
    """CMS-3: an issue asks between `min` and `max` questions."""
    count = ctx.text.question_count
    evidence = {"questions": count, "found": list(ctx.text.questions)[:10],
                "min": params.min, "max": params.max}
    if count < params.min:
        return decide(ctx, rule_id, "reject", "too_few_questions",
                      f"{count} question(s) found; at least {params.min} needed", **evidence)
    if count > params.max:
        return decide(ctx, rule_id, "reject", "too_many_questions",
                      f"{count} questions found; at most {params.max} per issue", **evidence)
    return None


class LexiconParams(Params):
    categories: Annotated[list[str], Field(min_length=1)]
    outcome: Outcome
    code: str | None = None  # defaults to the category that matched
    unless_tags: list[str] = []  # e.g. "paid": the customer already agreed to pay
    also_flag: bool = False


def lexicon(ctx: RuleContext, rule_id: str, params: LexiconParams) -> Decision | None:
    """CMS-7, CMS-10, CMS-11, CMS-12, PS-6a/c/e/f, CRJ-2, CRJ-8: a lexicon category matched."""
    if set(params.unless_tags) & set(ctx.message.tags):
        return None
    for category in params.categories:
        hit = ctx.text.hit(category)
        if hit:
            return decide(ctx, rule_id, params.outcome, params.code or category,
                          f"matched the '{category}' lexicon", category=category,
                          matched=list(hit.matched), flagged=params.also_flag,
                          **_probability(hit))
    for category in params.categories:  # low confidence: the seller looks, nobody is refused
        unsure = ctx.text.unsure(category)
        if unsure:
            return decide(ctx, rule_id, "flag", params.code or category,
                          f"may be '{category}' (low confidence): for the seller to judge",
                          category=category, matched=list(unsure.unsure), flagged=True,
                          **_probability(unsure))
    return None


def _probability(hit) -> dict:
    return {} if hit.probability is None else {"probability": round(hit.probability, 3)}
