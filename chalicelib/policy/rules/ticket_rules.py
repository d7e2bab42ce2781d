"""Rule types about the ticket and its messages rather than the words."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import Author, Message
from chalicelib.policy.context import RuleContext
from chalicelib.text.normalise import is_blank

from .base import Params, decide


class NoParams(Params):
    pass


def assignee_required(ctx: RuleContext, rule_id: str, params: NoParams) -> Decision | None:
    """CMS-1: a new issue names the support person it is for."""
    if not is_blank(ctx.message.assignee):  # " " or a zero-width space names nobody
        return None
    return decide(ctx, rule_id, "reject", "unassigned", "the issue is not assigned to a support person")


def closed_no_reopen(ctx: RuleContext, rule_id: str, params: NoParams) -> Decision | None:
    """CMS-6: a closed issue stays closed; the customer opens a new one."""
    if ctx.ticket.is_open:
        return None
    return decide(ctx, rule_id, "reject", "closed_no_reopen",
                  f"the ticket is {ctx.ticket.status.value}; open a new issue",
                  ticket_status=ctx.ticket.status.value)


class FloodingParams(Params):
    max_consecutive: Annotated[int, Field(ge=1)] = 4
    max_per_hour: Annotated[int, Field(ge=1)] = 8


def flooding(ctx: RuleContext, rule_id: str, params: FloodingParams) -> Decision | None:
    """CMS-9: too much continuous talking, counted without a seller reply and per rolling hour."""
    customer = [m for m in ctx.ticket.messages if m.author is Author.CUSTOMER]
    consecutive = _trailing_customer_messages(ctx.ticket.messages, ctx.message)
    window_start = ctx.message.sent_at - timedelta(hours=1)
    last_hour = sum(1 for m in customer if window_start < m.sent_at <= ctx.message.sent_at)
    if consecutive <= params.max_consecutive and last_hour <= params.max_per_hour:
        return None
    return decide(ctx, rule_id, "reject", "flooding",
                  f"{consecutive} messages in a row without a reply, {last_hour} in the last hour",
                  consecutive=consecutive, last_hour=last_hour,
                  limits={"consecutive": params.max_consecutive, "per_hour": params.max_per_hour})


def _trailing_customer_messages(messages: tuple[Message, ...], current: Message) -> int:
    ordered = sorted((m for m in messages if m.sent_at <= current.sent_at), key=lambda m: m.sent_at)
    count = 0
    for message in reversed(ordered):
        if message.author is Author.SELLER and not message.automated:
            break
        count += message.author is Author.CUSTOMER
    return count


class PreSaleParams(Params):
    tag: str = "pre_sale"


def pre_sale(ctx: RuleContext, rule_id: str, params: PreSaleParams) -> Decision | None:
    """PS-2: a pre-sale question needs no entitlement."""
    if params.tag not in ctx.message.tags:
        return None
    return decide(ctx, rule_id, "accept", "pre_sale", "pre-sale question: no entitlement needed",
                  tag=params.tag)


Field_ = Literal["order_id", "shop_url", "product_version", "description", "screenshots",
                 "installed_extensions"]
EXTENSIONS_MENTIONED = re.compile(
    r"\b(?:extensions?|plugins?|modules?|add-?ons?)\b.{0,40}\b(?:installed|install[ée]s?|active|actifs?)\b"
    r"|\b(?:installed|active)\b.{0,20}\b(?:extensions?|plugins?|modules?)\b", re.IGNORECASE | re.DOTALL)


class RequiredInfoParams(Params):
    fields: Annotated[list[Field_], Field(min_length=1)]
    min_description_chars: Annotated[int, Field(ge=1)] = 80


def required_info(ctx: RuleContext, rule_id: str, params: RequiredInfoParams) -> Decision | None:
    """CRJ-7: ask for exactly the facts the ticket lacks."""
    message = ctx.message
    present = {
        "order_id": bool(message.order_id),
        "shop_url": bool(message.shop_url or ctx.ticket.shop_url),
        "product_version": bool(message.product_version),
        "description": len(message.body.strip()) >= params.min_description_chars,
        "screenshots": any(t.startswith("image/") for t in message.attachment_types),
        "installed_extensions": bool(EXTENSIONS_MENTIONED.search(message.body)),
    }
    missing = [f for f in params.fields if not present[f]]
    if not missing:
        return None
    return decide(ctx, rule_id, "request_info", "missing_information",
                  f"missing: {', '.join(missing)}", missing=missing)


class PlatformParams(Params):
    hosts: Annotated[list[str], Field(min_length=1)] = ["wordpress.com"]
    platform_names: list[str] = ["wordpress.com"]


def unsupported_platform(ctx: RuleContext, rule_id: str, params: PlatformParams) -> Decision | None:
    """CRJ-9: sites hosted on WordPress.com cannot run our plugins."""
    message = ctx.message
    host = (urlsplit(_with_scheme(message.shop_url or ctx.ticket.shop_url or "")).hostname or "").lower()
    by_host = any(host == h or host.endswith("." + h) for h in params.hosts)
    by_name = (message.platform or "").strip().lower() in params.platform_names
    if not (by_host or by_name):
        return None
    return decide(ctx, rule_id, "reject", "unsupported_platform",
                  "sites hosted on WordPress.com are not supported", host=host or None,
                  platform=message.platform)


def _with_scheme(url: str) -> str:
    return url if "//" in url else f"//{url}"
