"""Builders for rule tests: a context with explicit text facts, and a runner through a profile."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from chalicelib.domain.model import Author, Message, Payment, Ticket, TicketStatus
from chalicelib.policy import engine
from chalicelib.policy.context import RuleContext
from chalicelib.policy.profile import built_in_profiles
from chalicelib.text.facts import LexiconHit, TextFacts

from .builders import T0


def facts(language="en", probability=0.99, questions=1, lexicons=(), cleaned=120) -> TextFacts:
    return TextFacts(language=language, language_probability=probability,
                     language_reason="detected" if language else "too_short", cleaned_chars=cleaned,
                     question_count=questions, questions=tuple(f"q{n}?" for n in range(questions)),
                     lexicons={c: LexiconHit(c, (c.replace("_", " "),)) for c in lexicons})


def message(n: int = 1, author=Author.CUSTOMER, at=T0, **overrides) -> Message:
    base = Message(message_id=f"m{n}", author=author, body="The module breaks my checkout page, "
                   "can you help me find out why it happens?", sent_at=at, assignee="anna")
    return replace(base, **overrides)


def ticket(*messages: Message, **overrides) -> Ticket:
    messages = messages or (message(),)
    base = Ticket(id="tkt_1", marketplace="cmsmart", thread_id="th-1", seller_id="acme",
                  product_id="p1", customer_id="c1", status=TicketStatus.OPEN,
                  opened_at=messages[0].sent_at, version=1, messages=messages)
    return replace(base, **overrides)


def context(*, profile="cmsmart", text=None, msg=None, tkt=None, opening=True,
            payments: tuple[Payment, ...] = ()) -> RuleContext:
    msg = msg or message()
    tkt = tkt or ticket(msg)
    return RuleContext(ticket=tkt, message=msg, text=text or facts(), now=msg.sent_at,
                       opening=opening, policy=built_in_profiles()[profile].ref, payments=payments)


def decisions(ctx: RuleContext, profile: str = "cmsmart"):
    moment = engine.Moment(opening=ctx.opening, ticket_open=ctx.ticket.is_open or ctx.opening)
    return engine.evaluate(built_in_profiles()[profile], ctx, moment.names())


def rules_fired(ctx: RuleContext, profile: str = "cmsmart") -> dict[str, str]:
    """rule id -> outcome code, for the rules that fired."""
    return {d.rule: d.code for d in decisions(ctx, profile)}


def minutes(n: int):
    return timedelta(minutes=n)
