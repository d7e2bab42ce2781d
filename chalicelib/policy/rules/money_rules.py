"""Rule types about what was bought: support entitlements, customization window, refunds."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import Author
from chalicelib.policy.context import RuleContext
from chalicelib.policy.money.entitlements import coverage, customization_support, entitlements_from

from .base import Params, decide

Kind = Literal["free_support", "subscription", "business_care"]


class EntitlementParams(Params):
    kinds: Annotated[list[Kind], Field(min_length=1)]
    free_support_months: Annotated[int, Field(ge=1)] = 3
    pre_sale_tag: str | None = "pre_sale"
    code: str = "no_entitlement"


def support_entitlement(ctx: RuleContext, rule_id: str, params: EntitlementParams) -> Decision:
    """PS-1 and CRJ-1: support needs a live entitlement for this product (and shop)."""
    if params.pre_sale_tag and params.pre_sale_tag in ctx.message.tags:
        return None
    granted = entitlements_from(ctx.payments, ctx.refunds, zone=ctx.zone,
                                free_support_months=params.free_support_months)
    found = coverage(granted, customer_id=ctx.ticket.customer_id, product_id=ctx.ticket.product_id,
                     shop_url=ctx.message.shop_url or ctx.ticket.shop_url, at=ctx.message.sent_at,
                     kinds=tuple(params.kinds))
    entitlement = found.entitlement
    evidence = {"covered": found.covered, "until": found.until.isoformat() if found.until else None,
                "payment_id": entitlement.payment_id if entitlement else None,
                "kind": entitlement.kind if entitlement else None}
    if found.covered:
        return decide(ctx, rule_id, "accept", "entitled", found.reason, **evidence)
    return decide(ctx, rule_id, "reject", params.code, found.reason, **evidence)


class CustomizationParams(Params):
    months: Annotated[int, Field(ge=1)] = 1
    delivery_tag: str = "customization_delivered"


def customization_window(ctx: RuleContext, rule_id: str, params: CustomizationParams) -> Decision | None:
    """CRJ-10: support on a delivered customization lasts `months` from its (last) delivery."""
    deliveries = [m.sent_at for m in ctx.ticket.messages
                  if m.author is Author.SELLER and params.delivery_tag in m.tags
                  and m.sent_at <= ctx.message.sent_at]
    if not deliveries:
        return None
    ends = customization_support(max(deliveries), ctx.zone, params.months)
    if ctx.message.sent_at < ends:
        return None
    return decide(ctx, rule_id, "reject", "customization_support_expired",
                  f"customization support ended {ends.isoformat()}",
                  delivered_at=max(deliveries).isoformat(), ended_at=ends.isoformat())


class RefundWindowParams(Params):
    right_months: Annotated[int, Field(ge=1)] = 1
    discretion_months: Annotated[int, Field(ge=1)] = 6


class DuplicatePaymentParams(Params):
    refund_after_days: Annotated[int, Field(ge=0, le=60)] = 3


class RefundTerminationParams(Params):
    kinds: Annotated[list[Kind], Field(min_length=1)] = ["business_care"]
