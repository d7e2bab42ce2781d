"""All single-table knowledge: key builders and item <-> domain mappers. Pure; no I/O.

Layout (PK / SK):
  TICKET#<id>              / #TICKET                  ticket head (GSI1: SELLER#<seller> / <opened_at>#<id>),
                                                      or an early close until the first message (TTL)
  (ticket and order heads whose schedules may lag their timers are on sparse GSI2: TIMERS_UNSYNCED)
  (sparse GSI3, the seller summary: open ticket heads OPEN#<seller> / <opened_at>#<id>, and
   orders ORDERS#<seller> / <active_until>#<mp>#<order>)
  TICKET#<id>              / MSG#<sent_at>#<msg id>   one message
  DELIVERY#<mp>#<hook id>  / #DELIVERY                idempotency record (TTL)
  OPENSLOT#<mp>#<seller>#<customer> / #SLOT           the customer's one open ticket (CMS-4)
  ORDER#<mp>#<order>       / SELLER#<seller>          one seller's order: payments, refunds, derived state
                                                      (GSI1: ORDERS#<seller, # escaped>#<customer> / <mp>#<order>);
                                                      the partition holds every seller's order of that id
  (before issue 15: ORDER#<mp>#<order> / #ORDER, one order for all sellers; no longer read)
  ORDERS#<seller, # escaped>#<customer> / #SUMMARY    the customer's orders with this seller,
                                                      payments and refunds only, an attribute
                                                      per order: read with the ticket (one call)
  SCHEMA                   / ORDER_SUMMARIES          every order has its summary entry (written on
                                                      a new table, or by the backfill)
  CUSTOMER#<customer>      / TICKETS#<seller>         the customer's ticket digest with this seller,
                                                      an attribute per ticket (product, opened_at,
                                                      open or not), set when one of those changes:
                                                      read with the order by a refund (PS-7, PS-8)
  SCHEMA                   / TICKET_DIGESTS           every ticket has its digest entry (written on
                                                      a new table, or by the backfill)
  MARKETPLACE#<name>       / #MARKETPLACE
  SELLER#<id>              / #SELLER
  APIKEY#<sha256>          / #APIKEY
"""
from __future__ import annotations

import json
import zlib
from dataclasses import fields, replace
from datetime import datetime, timedelta, timezone

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from chalicelib.domain.decisions import Decision
from chalicelib.services.ports import TicketEntry
from chalicelib.services.subjects import OrderRef, TicketRef, subject_of
from chalicelib.services.timer_sync import TimersChanged
from chalicelib.domain.model import (Author, ClockState, EarlyClose, Marketplace, Message, Order,
                                     Payment, Refund, SealedCredential, Seller, SlaClock, Ticket,
                                     TicketStatus, TicketSummary, Timer, VaultRef)

GSI1 = "GSI1"
GSI2 = "GSI2"  # sparse: tickets whose schedules may not match their timers yet
GSI3 = "GSI3"  # sparse: the seller summary's open tickets and orders still active
UNSYNCED = "TIMERS_UNSYNCED"
EARLY_CLOSE = "early_close"
TTL_ATTRIBUTE = "expires_at"
DELIVERY_RETENTION = timedelta(days=90)
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def ticket_key(ticket_id: str) -> dict:
    return {"PK": f"TICKET#{ticket_id}", "SK": "#TICKET"}


def subject_key(subject_id: str) -> dict:
    """A timer's subject: an order (`order:<mp>:<id>`) or a ticket id."""
    match subject_of(subject_id):
        case OrderRef(marketplace, seller_id, order_id):
            return order_key(marketplace, seller_id, order_id)
        case TicketRef(ticket_id):
            return ticket_key(ticket_id)


def delivery_key(marketplace: str, webhook_id: str) -> dict:
    return {"PK": f"DELIVERY#{marketplace}#{webhook_id}", "SK": "#DELIVERY"}


def slot_key(marketplace: str, seller_id: str, customer_id: str) -> dict:
    return {"PK": f"OPENSLOT#{marketplace}#{seller_id}#{customer_id}", "SK": "#SLOT"}


def marketplace_key(name: str) -> dict:
    return {"PK": f"MARKETPLACE#{name}", "SK": "#MARKETPLACE"}


def seller_key(seller_id: str) -> dict:
    return {"PK": f"SELLER#{seller_id}", "SK": "#SELLER"}


def api_key_key(key_hash: str) -> dict:
    return {"PK": f"APIKEY#{key_hash}", "SK": "#APIKEY"}


def seller_gsi_pk(seller_id: str) -> str:
    return f"SELLER#{seller_id}"


def seller_gsi_sk(opened_at: str, ticket_id: str) -> str:
    return f"{opened_at}#{ticket_id}"


def open_gsi_pk(seller_id: str) -> str:
    return f"OPEN#{seller_id}"


def orders_gsi_pk(seller_id: str) -> str:
    return f"ORDERS#{seller_id}"


def utc_iso(value: datetime) -> str:
    """Sort-key form of an instant: UTC, so string order is time order."""
    return value.astimezone(timezone.utc).isoformat()


def to_attrs(item: dict) -> dict:
    """Plain dict -> DynamoDB attribute values; None values are left out."""
    return {k: _serializer.serialize(v) for k, v in item.items() if v is not None}


def from_attrs(attrs: dict) -> dict:
    return {k: _deserializer.deserialize(v) for k, v in attrs.items()}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def ticket_item(ticket: Ticket, cue: bool = False) -> dict:
    """The ticket head; `cue`: its schedules are to sync (GSI2, cleared once they are)."""
    opened = _iso(ticket.opened_at)
    return {**ticket_key(ticket.id), "type": "ticket", "id": ticket.id,
            "marketplace": ticket.marketplace, "thread_id": ticket.thread_id,
            "seller_id": ticket.seller_id, "product_id": ticket.product_id,
            "customer_id": ticket.customer_id, "status": ticket.status.value,
            "opened_at": opened, "closed_at": _iso(ticket.closed_at),
            "close_reason": ticket.close_reason, "linked_to": ticket.linked_to,
            "shop_url": ticket.shop_url, "version": ticket.version,
            "holds_slot": ticket.holds_slot,
            "decisions": json.dumps([d.to_dict() for d in ticket.decisions]),
            "timers": json.dumps([{"kind": t.kind, "due_at": _iso(t.due_at), "version": t.version}
                                  for t in ticket.timers]),
            "sla": json.dumps([_clock_dict(c) for c in ticket.sla]),
            "vault": json.dumps([[v.entry_id, v.kind, v.label] for v in ticket.vault]),
            "credentials_shared": ticket.credentials_shared,
            "credentials_not_kept": ticket.credentials_not_kept or None,
            "message_count": ticket.message_count,
            "next_due": min((_iso(t.due_at) for t in ticket.timers), default=None),
            "GSI1PK": seller_gsi_pk(ticket.seller_id), "GSI1SK": seller_gsi_sk(opened, ticket.id),
            **({"GSI2PK": UNSYNCED, "GSI2SK": ticket.id} if cue else {}),
            **({"GSI3PK": open_gsi_pk(ticket.seller_id), "GSI3SK": seller_gsi_sk(opened, ticket.id)}
               if ticket.is_open else {})}


OPTIONAL_INDEX_KEYS = ("GSI1PK", "GSI1SK", "GSI3PK", "GSI3SK")  # GSI2, the cue, is the writer's


def absent(item: dict) -> list[str]:
    """What an update writing `item` over a stored head removes: its empty attributes and the
    index keys it no longer has (a closed ticket leaves GSI3)."""
    return [k for k, v in item.items() if v is None] + [k for k in OPTIONAL_INDEX_KEYS
                                                         if k not in item]


def early_close_item(early: EarlyClose, recorded_at: datetime) -> dict:
    """Kept as long as a delivery record: a first message later than that opens normally."""
    expires = int((recorded_at + DELIVERY_RETENTION).timestamp())
    return {**ticket_key(early.ticket_id), "type": EARLY_CLOSE, "closed_at": _iso(early.closed_at),
            "closed_by": early.closed_by, "version": early.version, TTL_ATTRIBUTE: expires}


def early_close_from_item(item: dict) -> EarlyClose:
    return EarlyClose(ticket_id=item["PK"].removeprefix("TICKET#"),
                      closed_at=_dt(item["closed_at"]), closed_by=item.get("closed_by"),
                      version=int(item["version"]))


def _clock_dict(clock: SlaClock) -> dict:
    return {"name": clock.name, "rule": clock.rule, "started_at": _iso(clock.started_at),
            "due_at": _iso(clock.due_at), "reminder_at": _iso(clock.reminder_at),
            "state": clock.state.value, "stopped_at": _iso(clock.stopped_at),
            "reminded": clock.reminded}


def _clock(raw: dict) -> SlaClock:
    return SlaClock(name=raw["name"], rule=raw["rule"], started_at=_dt(raw["started_at"]),
                    due_at=_dt(raw["due_at"]), reminder_at=_dt(raw.get("reminder_at")),
                    state=ClockState(raw["state"]), stopped_at=_dt(raw.get("stopped_at")),
                    reminded=bool(raw.get("reminded")))


def _head_fields(item: dict) -> dict:
    """What a ticket and its list summary both read from the head."""
    return dict(
        id=item["id"], marketplace=item["marketplace"], thread_id=item["thread_id"],
        seller_id=item["seller_id"], product_id=item["product_id"],
        customer_id=item["customer_id"], status=TicketStatus(item["status"]),
        opened_at=_dt(item["opened_at"]), version=int(item["version"]),
        closed_at=_dt(item.get("closed_at")), close_reason=item.get("close_reason"),
        linked_to=item.get("linked_to"), timers=_timers(item.get("timers")),
        sla=tuple(_clock(c) for c in json.loads(item.get("sla", "[]"))),
        credentials_shared=int(item.get("credentials_shared", 0)),
        credentials_not_kept=int(item.get("credentials_not_kept", 0)))


def ticket_from_item(item: dict, messages: tuple[Message, ...] = ()) -> Ticket:
    return Ticket(
        **_head_fields(item), shop_url=item.get("shop_url"), messages=messages,
        holds_slot=bool(item.get("holds_slot", False)),
        decisions=tuple(Decision.from_dict(d) for d in json.loads(item.get("decisions", "[]"))),
        vault=tuple(VaultRef(*v) for v in json.loads(item.get("vault", "[]"))))


def timers_changed_from_images(new: dict, old: dict | None) -> TimersChanged | None:
    """A stream record of a ticket or order head written with the cue: what to schedule and,
    from the image before, what may be scheduled now. None for any other item."""
    if UNSYNCED != new.get("GSI2PK") or new.get("type") not in ("ticket", "order"):
        return None
    before = old if old and old.get("type") == new["type"] else {}
    return TimersChanged(subject_id=new["GSI2SK"], timers=_timers(new.get("timers")),
                         version=int(new["version"]),
                         previous_timers=tuple(t.kind for t in _timers(before.get("timers"))),
                         previous_synced="GSI2PK" not in before)


def _timers(raw: str | None) -> tuple[Timer, ...]:
    return tuple(Timer(kind=t["kind"], due_at=_dt(t["due_at"]), version=t["version"])
                 for t in json.loads(raw or "[]"))


def ticket_summary_from_item(item: dict) -> TicketSummary:
    """A ticket head as a list reads it: no messages, decisions or vault entries."""
    return TicketSummary(**_head_fields(item), message_count=int(item.get("message_count", 0)),
                         holds_credentials=item.get("vault", "[]") != "[]")


VAULT_RETENTION = timedelta(days=30)


def vault_item(ticket_id: str, sealed: SealedCredential, recorded_at: datetime) -> dict:
    """TTL as a backstop: closing the ticket deletes it first."""
    return {"PK": ticket_key(ticket_id)["PK"], "SK": f"VAULT#{sealed.ref.entry_id}",
            "type": "vault", "ciphertext": sealed.ciphertext, "kind": sealed.ref.kind,
            "label": sealed.ref.label,
            TTL_ATTRIBUTE: int((recorded_at + VAULT_RETENTION).timestamp())}


def vault_key(ticket_id: str, entry_id: str) -> dict:
    return {"PK": ticket_key(ticket_id)["PK"], "SK": f"VAULT#{entry_id}"}


def sealed_from_item(item: dict) -> SealedCredential:
    return SealedCredential(VaultRef(item["SK"].removeprefix("VAULT#"), item["kind"], item["label"]),
                            item["ciphertext"])


def message_item(ticket_id: str, message: Message) -> dict:
    fields = {"message_id": message.message_id, "author": message.author.value,
              "body": message.body, "sent_at": _iso(message.sent_at),
              "automated": message.automated, "tags": list(message.tags) or None,
              "assignee": message.assignee, "subject": message.subject,
              "shop_url": message.shop_url, "platform": message.platform,
              "platform_version": message.platform_version,
              "product_version": message.product_version, "order_id": message.order_id,
              "attachment_types": list(message.attachment_types) or None}
    return {"PK": ticket_key(ticket_id)["PK"],
            "SK": f"MSG#{fields['sent_at']}#{message.message_id}", "type": "message", **fields}


def message_from_item(item: dict) -> Message:
    return Message(
        message_id=item["message_id"], author=Author(item["author"]), body=item["body"],
        sent_at=_dt(item["sent_at"]), automated=bool(item.get("automated", False)),
        tags=tuple(item.get("tags", ())), assignee=item.get("assignee"),
        subject=item.get("subject"), shop_url=item.get("shop_url"),
        platform=item.get("platform"), platform_version=item.get("platform_version"),
        product_version=item.get("product_version"), order_id=item.get("order_id"),
        attachment_types=tuple(item.get("attachment_types", ())))


def delivery_item(marketplace: str, webhook_id: str, body_hash: str, response: dict,
                  recorded_at: datetime) -> dict:
    expires = int((recorded_at + DELIVERY_RETENTION).timestamp())
    return {**delivery_key(marketplace, webhook_id), "type": "delivery", "body_hash": body_hash,
            "response_z": zlib.compress(json.dumps(response, separators=(",", ":")).encode()),
            TTL_ATTRIBUTE: expires}


def delivery_response(item: dict) -> dict:
    """The answer a replay gets: stored zlib-compressed (0.55 of the size at the median, so
    large answers cost fewer WRU); records from before hold it as plain JSON until their TTL."""
    if "response_z" in item:
        return json.loads(zlib.decompress(bytes(getattr(item["response_z"], "value", item["response_z"]))))
    return json.loads(item["response"])


def order_key(marketplace: str, seller_id: str, order_id: str) -> dict:
    return {**order_partition(marketplace, order_id), "SK": f"{ORDER_SK_PREFIX}{seller_id}"}


ORDER_SK_PREFIX = "SELLER#"


def order_partition(marketplace: str, order_id: str) -> dict:
    """Every seller's order of one order id (the order id is the tail: free text is safe there)."""
    return {"PK": f"ORDER#{marketplace}#{order_id}"}


def seller_orders_gsi_pk(seller_id: str, customer_id: str) -> str:
    """`#` and `%` escaped in the seller id, so no (seller, customer) pair can spell another's."""
    escaped = seller_id.replace("%", "%25").replace("#", "%23")
    return f"ORDERS#{escaped}#{customer_id}"


def order_item(order: Order, cue: bool = False) -> dict:
    item = {**order_key(order.marketplace, order.seller_id or "", order.order_id), "type": "order",
            "marketplace": order.marketplace, "order_id": order.order_id,
            "version": order.version, "customer_id": order.customer_id,
            "seller_id": order.seller_id,
            "payments": json.dumps([_payment_dict(p) for p in order.payments]),
            "refunds": json.dumps([_refund_dict(r) for r in order.refunds]),
            "decisions": json.dumps([d.to_dict() for d in order.decisions]),
            "timers": json.dumps([{"kind": t.kind, "due_at": _iso(t.due_at), "version": t.version}
                                  for t in order.timers]),
            "refunds_issued": json.dumps(list(order.refunds_issued))}
    if order.customer_id:
        item.update(GSI1PK=seller_orders_gsi_pk(order.seller_id or "", order.customer_id),
                    GSI1SK=f"{order.marketplace}#{order.order_id}")
    if cue:
        item.update(GSI2PK=UNSYNCED, GSI2SK=order.subject_id)
    if order.seller_id and order.active_until:
        item.update(GSI3PK=orders_gsi_pk(order.seller_id),
                    GSI3SK=f"{utc_iso(order.active_until)}#{order.marketplace}#{order.order_id}")
    return item


SUMMARY_SK = "#SUMMARY"
SUMMARIES_MARKER = {"PK": "SCHEMA", "SK": "ORDER_SUMMARIES"}
SUMMARIES_MARKER_ITEM = {**SUMMARIES_MARKER, "type": "schema_marker"}


def order_summary_key(seller_id: str, customer_id: str) -> dict:
    return {"PK": seller_orders_gsi_pk(seller_id, customer_id), "SK": SUMMARY_SK}


def summary_attribute(order: Order) -> str:
    """One attribute per order, so a payment's transaction sets it without reading the rest."""
    return f"o#{order.marketplace}#{order.order_id}"


def summary_entry(order: Order) -> str:
    return json.dumps({"marketplace": order.marketplace, "order_id": order.order_id,
                       "payments": [_payment_dict(p) for p in order.payments],
                       "refunds": [_refund_dict(r) for r in order.refunds]},
                      separators=(",", ":"))


DIGESTS_MARKER = {"PK": "SCHEMA", "SK": "TICKET_DIGESTS"}
DIGESTS_MARKER_ITEM = {**DIGESTS_MARKER, "type": "schema_marker"}
DIGEST_SK_PREFIX = "TICKETS#"


def customer_partition(customer_id: str) -> dict:
    """Every seller's ticket digest of one customer id (the id is the tail: free text is safe)."""
    return {"PK": f"CUSTOMER#{customer_id}"}


def ticket_digest_key(seller_id: str, customer_id: str) -> dict:
    return {**customer_partition(customer_id), "SK": f"{DIGEST_SK_PREFIX}{seller_id}"}


def digest_attribute(ticket_id: str) -> str:
    """One attribute per ticket, so its transaction sets it without reading the others."""
    return f"t#{ticket_id}"


def digest_value(entry: TicketEntry) -> str:
    return json.dumps({"p": entry.product_id, "o": entry.opened_at.isoformat(),
                       "open": entry.is_open}, separators=(",", ":"))


def entries_from_digest(item: dict) -> tuple[TicketEntry, ...]:
    """A digest item's tickets, in ticket id order."""
    found = []
    for name, raw in sorted(item.items()):
        if name.startswith("t#"):
            value = json.loads(raw)
            found.append(TicketEntry(name[2:], value["p"], _dt(value["o"]), bool(value["open"])))
    return tuple(found)


def digest_seller(item: dict) -> str:
    return item["SK"].removeprefix(DIGEST_SK_PREFIX)


def orders_from_summary(item: dict, seller_id: str, customer_id: str) -> list[Order]:
    """The orders as far as a first message needs them (payments, refunds), in key order."""
    entries = [json.loads(v) for k, v in sorted(item.items()) if k.startswith("o#")]
    return [Order(marketplace=e["marketplace"], order_id=e["order_id"], customer_id=customer_id,
                  seller_id=seller_id, payments=tuple(map(_payment, e["payments"])),
                  refunds=tuple(map(_refund, e["refunds"]))) for e in entries]


def order_from_item(item: dict) -> Order:
    return Order(
        marketplace=item["marketplace"], order_id=item["order_id"], version=int(item["version"]),
        customer_id=item.get("customer_id"), seller_id=item.get("seller_id"),
        payments=tuple(_payment(p) for p in json.loads(item["payments"])),
        refunds=tuple(_refund(r) for r in json.loads(item["refunds"])),
        decisions=tuple(Decision.from_dict(d) for d in json.loads(item["decisions"])),
        timers=_timers(item["timers"]),
        refunds_issued=tuple(json.loads(item["refunds_issued"])))


def _payment_dict(payment: Payment) -> dict:
    raw = {f.name: getattr(payment, f.name) for f in fields(Payment)}
    raw.update(occurred_at=_iso(payment.occurred_at), covers_until=_iso(payment.covers_until),
               compatible_versions=list(payment.compatible_versions))
    return raw


def _payment(raw: dict) -> Payment:
    return Payment(**{**raw, "occurred_at": _dt(raw["occurred_at"]),
                      "covers_until": _dt(raw.get("covers_until")),
                      "compatible_versions": tuple(raw.get("compatible_versions", ()))})


def _refund_dict(refund: Refund) -> dict:
    return {**{f.name: getattr(refund, f.name) for f in fields(Refund)}, "at": _iso(refund.at)}


def _refund(raw: dict) -> Refund:
    return Refund(**{**raw, "at": _dt(raw["at"])})


def marketplace_item(marketplace: Marketplace) -> dict:
    return {**marketplace_key(marketplace.name), "type": "marketplace", "name": marketplace.name,
            "policy": marketplace.policy, "secrets": list(marketplace.secrets)}


def marketplace_from_item(item: dict) -> Marketplace:
    return Marketplace(name=item["name"], policy=item["policy"], secrets=tuple(item["secrets"]))


def seller_item(seller: Seller) -> dict:
    return {**seller_key(seller.seller_id), "type": "seller", "seller_id": seller.seller_id,
            "policy": seller.policy}


def seller_from_item(item: dict) -> Seller:
    return Seller(seller_id=item["seller_id"], policy=item.get("policy"))


def seller_keys_pk(seller_id: str) -> str:
    return f"SELLERKEYS#{seller_id}"


def api_key_item(key_hash: str, seller_id: str, created_at: str) -> dict:
    return {**api_key_key(key_hash), "type": "api_key", "seller_id": seller_id,
            "GSI1PK": seller_keys_pk(seller_id), "GSI1SK": created_at}
