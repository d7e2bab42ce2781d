"""The customer's order summary on DynamoDB: read with the thread in one call; a table from
before the summaries is read through the index until `orders backfill-summaries` ran."""
from __future__ import annotations

import pytest

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.store import DynamoTicketStore
from chalicelib.domain.model import Order, Payment
from chalicelib.services.ports import OrderWrite
from tests.builders import T0

from .conftest import TABLE
from .test_store_contract import a_ticket, change, create


def an_order(order_id: str = "o1", customer: str = "c1") -> Order:
    payment = Payment(payment_id=f"pay-{order_id}", order_id=order_id, marketplace="cmsmart",
                      seller_id="acme", product_id="p1", customer_id=customer, status="succeeded",
                      amount="10.00", currency="EUR", occurred_at=T0)
    return Order("cmsmart", order_id, version=1, customer_id=customer, seller_id="acme",
                 payments=(payment,))


def calls(client) -> list[str]:
    made: list[str] = []
    client.meta.events.register("before-call.dynamodb.*",
                                lambda model, **_: made.append(model.name))
    return made


@pytest.fixture
def store(dynamodb):
    return DynamoTicketStore(dynamodb, TABLE)


def test_the_thread_and_the_orders_are_one_execute_statement(store, dynamodb):
    ticket = a_ticket()
    create(store, ticket)
    store.commit(change("wh-o", orders=(OrderWrite(an_order(), None),)))
    made = calls(dynamodb)
    loaded, _, orders = store.load_thread_and_orders(ticket.id, "acme", "c1")
    assert made == ["ExecuteStatement"]
    assert loaded == ticket and [o.payments for o in orders] == [an_order().payments]


def test_two_orders_of_one_customer_in_one_change_are_one_update_of_the_summary(store, dynamodb):
    """A transaction may not touch an item twice: the summary is set once for both orders."""
    store.commit(change("wh-o", orders=(OrderWrite(an_order("o1"), None),
                                        OrderWrite(an_order("o2"), None))))
    _, _, orders = store.load_thread_and_orders("tkt_none", "acme", "c1")
    assert [o.order_id for o in orders] == ["o1", "o2"]


def test_a_table_from_before_the_summaries_reads_the_index_until_the_backfill(store, dynamodb):
    store.commit(change("wh-o", orders=(OrderWrite(an_order("o1"), None),)))
    dynamodb.delete_item(TableName=TABLE, Key=keys.to_attrs(keys.SUMMARIES_MARKER))
    dynamodb.delete_item(TableName=TABLE, Key=keys.to_attrs(keys.order_summary_key("acme", "c1")))
    made = calls(dynamodb)
    _, _, orders = store.load_thread_and_orders("tkt_none", "acme", "c1")
    assert [o.order_id for o in orders] == ["o1"] and made == ["ExecuteStatement", "Query"]

    assert store.backfill_order_summaries() == 1
    made.clear()
    _, _, orders = store.load_thread_and_orders("tkt_none", "acme", "c1")
    assert [o.order_id for o in orders] == ["o1"] and made == ["ExecuteStatement"]


def test_the_backfill_command_fills_the_summaries_and_says_how_many(store, dynamodb, monkeypatch,
                                                                    capsys):
    from chalicelib import cli
    store.commit(change("wh-o", orders=(OrderWrite(an_order("o1"), None),
                                        OrderWrite(an_order("o2", customer="c2"), None))))
    dynamodb.delete_item(TableName=TABLE, Key=keys.to_attrs(keys.SUMMARIES_MARKER))
    monkeypatch.setenv("TICKETWARDEN_TABLE", TABLE)
    assert cli.main(["orders", "backfill-summaries"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("2 orders written") and "[backfill] 2 orders so far" in out.err
    assert "Item" in dynamodb.get_item(TableName=TABLE, Key=keys.to_attrs(keys.SUMMARIES_MARKER))
