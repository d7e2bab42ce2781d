"""Rule types that compare the request with what was bought: shop and platform version."""
from __future__ import annotations

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import Payment
from chalicelib.domain.shop_urls import normalise_shop_url
from chalicelib.domain.versions import in_range
from chalicelib.policy.context import RuleContext

from .base import Params, decide


class NoParams(Params):
    pass


def _licences(ctx: RuleContext) -> list[Payment]:
    return [p for p in ctx.payments
            if p.status == "succeeded" and p.product_id == ctx.ticket.product_id]


def other_shop(ctx: RuleContext, rule_id: str, params: NoParams) -> Decision | None:
    """PS-6b: the request is about another shop than the one the product was bought for."""
    asked = normalise_shop_url(ctx.message.shop_url or ctx.ticket.shop_url)
    licensed = {normalise_shop_url(p.shop_url) for p in _licences(ctx)} - {None}
    if asked is None or not licensed or asked in licensed:
        return None
    return decide(ctx, rule_id, "reject", "other_shop",
                  "the product was bought for another shop", shop=asked, licensed=sorted(licensed))


def incompatible_version(ctx: RuleContext, rule_id: str, params: NoParams) -> Decision | None:
    """PS-6d: the shop's platform version is outside the ranges declared at purchase."""
    version = ctx.message.platform_version
    declared = [r for p in _licences(ctx) for r in p.compatible_versions]
    if not version or not declared or any(in_range(version, r) for r in declared):
        return None
    return decide(ctx, rule_id, "reject", "incompatible_version",
                  f"platform version {version} is outside {', '.join(declared)}",
                  platform_version=version, compatible_versions=declared)
