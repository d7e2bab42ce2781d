"""Pydantic models of the wire contract (docs/contract.md), converted once to domain types."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Annotated, Literal, Union

from pydantic import (AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StrictBool,
                      StrictInt, TypeAdapter, field_validator)

from chalicelib.domain import events, model

MAX_ID_BYTES = 256  # ids end up in DynamoDB keys (partition key <= 2,048 bytes, sort key <= 1,024)


def _id_bytes(value: str) -> str:
    """Counted in UTF-8 bytes, as DynamoDB counts keys: 256 four-byte characters are 1,024 bytes."""
    if len(value.encode("utf-8")) > MAX_ID_BYTES:
        raise ValueError(f"must be at most {MAX_ID_BYTES} bytes in UTF-8")
    return value


Id = Annotated[str, Field(min_length=1, max_length=MAX_ID_BYTES), AfterValidator(_id_bytes)]
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=timezone.utc), datetime(2999, 12, 31, tzinfo=timezone.utc)


def _supported_instant(value: datetime) -> datetime:
    """RFC 3339 allows year 1 to 9999; deadlines computed from such instants would overflow."""
    try:
        utc = value.astimezone(timezone.utc)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise ValueError("must be between 1970-01-01 and 2999-12-31")
    return utc


Instant = Annotated[AwareDatetime, AfterValidator(_supported_instant)]
MAX_MESSAGE_BODY = 64 * 1024


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Platform(_Wire):
    name: Annotated[str, Field(max_length=100)]
    version: Annotated[str | None, Field(max_length=50)] = None


class Attachment(_Wire):
    filename: Annotated[str, Field(max_length=500)]
    content_type: Annotated[str | None, Field(max_length=200)] = None
    size: Annotated[StrictInt | None, Field(ge=0)] = None


class MessageData(_Wire):
    message_id: Id
    thread_id: Id
    seller_id: Id
    product_id: Id
    customer_id: Id
    author: Literal["customer", "seller", "marketplace"]
    body: str
    sent_at: Instant
    automated: StrictBool = False  # "yes" or 1 is a 400, not a silent true
    assignee: Annotated[str | None, Field(max_length=256)] = None
    subject: Annotated[str | None, Field(max_length=1000)] = None
    tags: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=50)] = []
    shop_url: Annotated[str | None, Field(max_length=2048)] = None
    platform: Platform | None = None
    product_version: Annotated[str | None, Field(max_length=50)] = None
    order_id: Annotated[str | None, Field(max_length=256)] = None  # text only, in no key
    attachments: Annotated[list[Attachment], Field(max_length=100)] = []

    @field_validator("body")
    @classmethod
    def body_within_limit(cls, body: str) -> str:
        if len(body.encode("utf-8")) > MAX_MESSAGE_BODY:
            raise ValueError(f"body is over {MAX_MESSAGE_BODY} bytes")
        return body


class ThreadClosedData(_Wire):
    thread_id: Id
    closed_at: Instant
    closed_by: Literal["seller", "customer", "marketplace"] | None = None


class PaymentData(_Wire):
    payment_id: Id
    order_id: Id
    seller_id: Id
    product_id: Id
    customer_id: Id
    status: Literal["pending", "succeeded", "failed", "reversed"]
    amount: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)]
    currency: Annotated[str, Field(min_length=3, max_length=3)]
    occurred_at: Instant
    purchase: Literal["one_time", "subscription"] | None = None
    plan: Annotated[str | None, Field(max_length=64)] = None
    covers_until: Instant | None = None
    shop_url: Annotated[str | None, Field(max_length=2048)] = None
    compatible_versions: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=50)] = []


class RefundRequestedData(_Wire):
    refund_id: Id
    order_id: Id
    customer_id: Id
    reason: Literal["not_downloaded", "not_working", "duplicate_payment", "unresolvable", "other"]
    requested_at: Instant
    product_downloaded: StrictBool | None = None
    seller_id: Id | None = None  # optional (v1 addition): which seller's order; see README


class RefundCompletedData(_Wire):
    refund_id: Id
    order_id: Id
    completed_at: Instant
    amount: Annotated[Decimal | None, Field(ge=0, max_digits=18, decimal_places=6)] = None
    seller_id: Id | None = None  # optional (v1 addition): which seller's order; see README


class _Envelope(_Wire):
    timestamp: Instant


class MessageCreatedEvent(_Envelope):
    type: Literal["message.created"]
    data: MessageData


class ThreadClosedEvent(_Envelope):
    type: Literal["thread.closed"]
    data: ThreadClosedData


class PaymentUpdatedEvent(_Envelope):
    type: Literal["payment.updated"]
    data: PaymentData


class RefundRequestedEvent(_Envelope):
    type: Literal["refund.requested"]
    data: RefundRequestedData


class RefundCompletedEvent(_Envelope):
    type: Literal["refund.completed"]
    data: RefundCompletedData


WebhookEvent = Annotated[
    Union[MessageCreatedEvent, ThreadClosedEvent, PaymentUpdatedEvent,
          RefundRequestedEvent, RefundCompletedEvent],
    Field(discriminator="type"),
]
EVENT_ADAPTER: TypeAdapter = TypeAdapter(WebhookEvent)
EVENT_TYPES = ("message.created", "thread.closed", "payment.updated",
               "refund.requested", "refund.completed")


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(timezone.utc) if value else None


def to_domain(event, marketplace: str) -> events.Event:
    """Convert a validated wire event into the domain event; times become UTC."""
    data = event.data
    if isinstance(event, MessageCreatedEvent):
        message = model.Message(
            message_id=data.message_id, author=model.Author(data.author), body=data.body,
            sent_at=_utc(data.sent_at), automated=data.automated, tags=tuple(data.tags),
            assignee=data.assignee, subject=data.subject, shop_url=data.shop_url,
            platform=data.platform.name if data.platform else None,
            platform_version=data.platform.version if data.platform else None,
            product_version=data.product_version, order_id=data.order_id,
            attachment_types=tuple((a.content_type or '').lower() for a in data.attachments))
        return events.MessageCreated(thread_id=data.thread_id, seller_id=data.seller_id,
                                     product_id=data.product_id, customer_id=data.customer_id,
                                     message=message)
    if isinstance(event, ThreadClosedEvent):
        return events.ThreadClosed(thread_id=data.thread_id, closed_at=_utc(data.closed_at),
                                   closed_by=data.closed_by)
    if isinstance(event, PaymentUpdatedEvent):
        return events.PaymentUpdated(model.Payment(
            payment_id=data.payment_id, order_id=data.order_id, marketplace=marketplace,
            seller_id=data.seller_id, product_id=data.product_id, customer_id=data.customer_id,
            status=data.status, amount=str(data.amount), currency=data.currency.upper(),
            occurred_at=_utc(data.occurred_at), purchase=data.purchase, plan=data.plan,
            covers_until=_utc(data.covers_until), shop_url=data.shop_url,
            compatible_versions=tuple(data.compatible_versions)))
    if isinstance(event, RefundRequestedEvent):
        return events.RefundRequested(model.Refund(
            refund_id=data.refund_id, order_id=data.order_id, marketplace=marketplace,
            state="requested", at=_utc(data.requested_at), customer_id=data.customer_id,
            reason=data.reason, product_downloaded=data.product_downloaded,
            seller_id=data.seller_id))
    return events.RefundCompleted(model.Refund(
        refund_id=data.refund_id, order_id=data.order_id, marketplace=marketplace,
        state="completed", at=_utc(data.completed_at),
        amount=str(data.amount) if data.amount is not None else None, seller_id=data.seller_id))
