"""The customer's ticket digest on DynamoDB (moto): what a refund reads with its order instead
of the index (PS-7 tickets before, PS-8 open tickets), and a table from before the digests."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bench.wiring import deliver, moto_stack, warm_tenants
from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.store import DynamoTicketStore
from chalicelib.domain.model import TicketStatus, ticket_id_for
from chalicelib.services.ports import TicketEntry, TicketWrite
from tests.builders import T0

from .conftest import TABLE
from .test_order_summary import calls
from .test_store_contract import a_message, a_ticket, change, create


@pytest.fixture
def store(dynamodb):
    return DynamoTicketStore(dynamodb, TABLE)


def digest_item(dynamodb, seller="acme", customer="c1") -> dict:
    found = dynamodb.get_item(TableName=TABLE, Key=keys.to_attrs(keys.ticket_digest_key(seller, customer)))
    return keys.from_attrs(found.get("Item", {}))


def test_opening_and_closing_set_the_entry_and_a_message_leaves_the_digest_alone(store, dynamodb):
    ticket = a_ticket()
    create(store, ticket)
    assert store.customer_tickets("acme", "c1") == (TicketEntry(ticket.id, "p1", T0, True),)

    made: list[dict] = []
    dynamodb.meta.events.register("before-parameter-build.dynamodb.TransactWriteItems",
                                  lambda params, **_: made.append(params))
    later = a_message(2, at=T0 + timedelta(minutes=5))
    store.commit(change("wh-2", TicketWrite.replacing(ticket, ticket.with_message(later), (later,))))
    digest_pk = keys.customer_partition("c1")["PK"]
    touched = [op for op in made[0]["TransactItems"] for body in op.values()
               if (body.get("Key") or body.get("Item"))["PK"]["S"] == digest_pk]
    assert touched == []

    current = store.load_ticket(ticket.id)
    closed = replace(current, status=TicketStatus.CLOSED, closed_at=T0 + timedelta(hours=1))
    store.commit(change("wh-3", TicketWrite.replacing(current, closed)))
    assert store.customer_tickets("acme", "c1") == (TicketEntry(ticket.id, "p1", T0, False),)
    assert store.customer_tickets("acme", "c2") == ()


def test_the_order_and_the_digests_are_one_execute_statement(store, dynamodb):
    create(store, a_ticket())
    create(store, a_ticket("th-2", seller="globex"))
    made = calls(dynamodb)
    read = store.load_order_read("cmsmart", "o1", "c1")
    assert made == ["ExecuteStatement"] and read.orders == []
    assert {s: [e.ticket_id for e in t] for s, t in read.tickets.items()} == {
        "acme": [ticket_id_for("cmsmart", "th-1")], "globex": [ticket_id_for("cmsmart", "th-2")]}


def test_a_table_from_before_the_digests_says_so_until_the_backfill(store, dynamodb):
    ticket = a_ticket()
    create(store, ticket)
    dynamodb.delete_item(TableName=TABLE, Key=keys.to_attrs(keys.DIGESTS_MARKER))
    dynamodb.delete_item(TableName=TABLE, Key=keys.to_attrs(keys.ticket_digest_key("acme", "c1")))
    assert store.load_order_read("cmsmart", "o1", "c1").tickets is None
    assert store.customer_tickets("acme", "c1") is None

    assert store.backfill_ticket_digests() == 1
    assert store.customer_tickets("acme", "c1") == (TicketEntry(ticket.id, "p1", T0, True),)
    assert store.backfill_ticket_digests() == 0  # entries present are never overwritten


# -- the refund path on moto, as bench/calls.py measures it ------------------------------------

def _payment(mp, order, seller, customer, product, at, plan=None) -> dict:
    data = {"payment_id": f"pay-{order}", "order_id": order, "seller_id": seller,
            "product_id": product, "customer_id": customer, "status": "succeeded",
            "amount": "49.00", "currency": "EUR", "occurred_at": at.isoformat()}
    if plan:
        data.update(plan=plan, covers_until=(at + timedelta(days=365)).isoformat(),
                    shop_url="https://shop.example.com", compatible_versions=["1.7.x", "8.0-8.1"])
    return {"type": "payment.updated", "timestamp": at.isoformat(), "data": data}


def _first_message(thread, seller, customer, product, at) -> dict:
    return {"type": "message.created", "timestamp": at.isoformat(), "data": {
        "message_id": f"m-{thread}", "thread_id": thread, "seller_id": seller,
        "product_id": product, "customer_id": customer, "author": "customer", "assignee": "anna",
        "sent_at": at.isoformat(), "shop_url": "https://shop.example.com", "product_version": "8.1.2",
        "body": "Since I enabled the module the checkout page stays blank. How can I fix it?"}}


def _metered(stack, action) -> list[str]:
    made = calls(stack.dynamodb)
    action()
    stack.dynamodb.meta.events.unregister("before-call.dynamodb.*")
    return made


@pytest.mark.parametrize("mp", ["prestashop", "crmjetty"])
def test_a_refund_request_is_one_read_and_one_transaction_and_sees_the_ticket_before(aws_env, mp):
    seller, customer, order = f"{mp}-s1", f"{mp}-c1", "o-1"
    with moto_stack(T0) as stack:
        services = stack.services
        warm_tenants(services, [seller])
        deliver(services, mp, _payment(mp, order, seller, customer, "p1", T0 - timedelta(days=3),
                                       plan="business_care" if mp == "prestashop" else None), "wh-p")
        deliver(services, mp, _first_message("th-1", seller, customer, "p1", T0), "wh-m")
        asked = T0 + timedelta(days=1)
        event = {"type": "refund.requested", "timestamp": asked.isoformat(), "data": {
            "refund_id": "r-1", "order_id": order, "customer_id": customer, "reason": "not_working",
            "requested_at": asked.isoformat()}}
        answers = []
        made = _metered(stack, lambda: answers.append(deliver(services, mp, event, "wh-r")))
        assert made == ["ExecuteStatement", "TransactWriteItems"]
        if mp == "prestashop":  # PS-7: a ticket on the product before the request
            verdict = next(d for d in answers[0].body()["decisions"] if d["rule"] == "PS-7")
            assert verdict["evidence"]["had_support_ticket_before"] is True


def test_a_completed_refund_closes_the_open_ticket_through_the_digest(aws_env):
    mp, seller, customer, order = "prestashop", "prestashop-s1", "prestashop-c1", "o-1"
    with moto_stack(T0) as stack:
        services = stack.services
        warm_tenants(services, [seller])
        deliver(services, mp, _payment(mp, order, seller, customer, "p1", T0 - timedelta(days=3),
                                       plan="business_care"), "wh-p")
        deliver(services, mp, _first_message("th-1", seller, customer, "p1", T0), "wh-m")
        done = T0 + timedelta(hours=2)
        event = {"type": "refund.completed", "timestamp": done.isoformat(), "data": {
            "refund_id": "r-1", "order_id": order, "completed_at": done.isoformat()}}
        answers = []
        made = _metered(stack, lambda: answers.append(deliver(services, mp, event, "wh-r")))
        # no customer on the wire: the order first, then the digest, then the open ticket itself
        assert made == ["Query", "ExecuteStatement", "Query", "TransactWriteItems"]
        body = answers[0].body()
        assert any(d["rule"] == "PS-8" for d in body["decisions"])
        ticket = services.store.load_ticket(ticket_id_for(mp, "th-1"))
        assert ticket.status is TicketStatus.CLOSED and ticket.close_reason == "entitlement_ended"
        assert services.store.customer_tickets(seller, customer)[0].is_open is False


def test_a_completed_refund_with_nothing_to_end_is_one_read_and_one_transaction(aws_env):
    mp, seller, customer, order = "crmjetty", "crmjetty-s1", "crmjetty-c1", "o-1"
    with moto_stack(T0) as stack:
        services = stack.services
        warm_tenants(services, [seller])
        deliver(services, mp, _payment(mp, order, seller, customer, "p1", T0), "wh-p")
        done = T0 + timedelta(days=2)
        event = {"type": "refund.completed", "timestamp": done.isoformat(), "data": {
            "refund_id": "r-1", "order_id": order, "completed_at": done.isoformat()}}
        made = _metered(stack, lambda: deliver(services, mp, event, "wh-r"))
        assert made == ["Query", "TransactWriteItems"]
