"""The outbox on both stores: notices commit with the state or not at all, named stably.
And the outbound store's contract (notices, deliveries, lanes, endpoints) on memory and moto."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.adapters.dynamo import keys, outbound_keys
from chalicelib.adapters.dynamo.outbound_store import DynamoOutboundStore
from chalicelib.adapters.memory import InMemoryTicketStore
from chalicelib.adapters.memory_outbound import InMemoryOutboundStore
from chalicelib.domain.errors import AlreadyAppliedError, ConcurrencyError
from chalicelib.domain.events import Delivery
from chalicelib.domain.notices import Notice, NoticeType
from chalicelib.domain.outbound import (Attempt, Dispatch, DispatchState, Endpoint, EndpointSecret,
                                        Lane, StoredNotice)
from chalicelib.services.ports import Change, TicketWrite
from tests.adapters.conftest import TABLE
from tests.adapters.test_store_contract import a_ticket
from tests.builders import T0


def notice(n: int = 0, subject: str = "tk-1", **data) -> Notice:
    return Notice(NoticeType.TICKET_CLOSED, "cmsmart", "acme", subject, {"n": n, **data})


def change(hook: str, *notices: Notice, tickets=()) -> Change:
    return Change(Delivery("cmsmart", hook, "h", "x"), {"event_id": hook}, T0, tickets=tickets,
                  notices=notices)


def outbox(store) -> list[list[StoredNotice]]:
    """What the table's stream would carry: each committed outbox, in commit order."""
    if isinstance(store, InMemoryTicketStore):
        return store.outbox_after(0)
    items = store._client.scan(TableName=TABLE)["Items"]
    found = [keys.from_attrs(i) for i in items]
    found = sorted((i for i in found if i.get("type") == outbound_keys.OUTBOX), key=lambda i: i["SK"])
    return [outbound_keys.notices_from_outbox(i) for i in found]


class TestOutbox:
    def test_notices_commit_with_the_state_in_one_transaction(self, store):
        ticket = a_ticket()
        store.commit(change("wh-1", notice(1), notice(2), tickets=(TicketWrite(ticket, None, ticket.messages),)))
        [batch] = outbox(store)
        assert [n.data["n"] for n in batch] == [1, 2]
        assert all(n.created_at == T0 and n.subject_id == "tk-1" for n in batch)

    def test_a_failed_commit_writes_no_notice(self, store):
        ticket = a_ticket()
        store.commit(change("wh-1", tickets=(TicketWrite(ticket, None, ticket.messages),)))
        with pytest.raises(ConcurrencyError):  # the ticket exists: the write loses, so do its notices
            store.commit(change("wh-2", notice(), tickets=(TicketWrite(ticket, None, ticket.messages),)))
        assert outbox(store) == []

    def test_a_replayed_webhook_cannot_add_a_notice(self, store):
        store.commit(change("wh-1", notice()))
        with pytest.raises(AlreadyAppliedError):
            store.commit(change("wh-1", notice()))
        assert len(outbox(store)) == 1

    def test_notice_ids_are_stable_for_the_same_delivery_and_differ_by_index(self, store):
        store.commit(change("wh-1", notice(1), notice(2)))
        [batch] = outbox(store)
        other = InMemoryTicketStore()
        other.commit(change("wh-1", notice(1), notice(2)))
        assert [n.id for n in batch] == [n.id for n in other.outbox_after(0)[0]]
        assert len({n.id for n in batch}) == 2

    def test_two_subjects_in_one_change_keep_all_their_notices(self, store):
        store.commit(change("wh-1", notice(1, "tk-1"), notice(2, "tk-2")))
        assert sorted(n.data["n"] for b in outbox(store) for n in b) == [1, 2]

    def test_a_change_with_no_notices_writes_no_outbox(self, store):
        store.commit(change("wh-1"))
        assert outbox(store) == []

    def test_a_large_notice_set_stays_under_the_item_limit(self, store):
        big = "x" * 60_000
        store.commit(change("wh-1", *[notice(i, text=big) for i in range(8)]))  # ~480 KB
        assert sorted(n.data["n"] for b in outbox(store) for n in b) == list(range(8))


@pytest.fixture(params=["memory", "dynamo"])
def outbound(request):
    if request.param == "memory":
        return InMemoryOutboundStore()
    return DynamoOutboundStore(request.getfixturevalue("dynamodb"), TABLE)


def stored(n: int, seller: str = "acme", minutes: int = 0) -> StoredNotice:
    return StoredNotice(f"ntc_{n:04d}", NoticeType.SLA_REMINDER, "cmsmart", seller, "tk-1",
                        {"n": n}, T0 + timedelta(minutes=minutes))


class TestOutboundStoreContract:
    def test_a_notice_is_kept_as_first_written(self, outbound):
        outbound.put_notice(stored(1))
        outbound.put_notice(replace(stored(1), data={"changed": True}))
        assert outbound.load_notice("ntc_0001") == stored(1)

    def test_notices_page_oldest_first_after_the_cursor_for_one_seller(self, outbound):
        for n in range(5):
            outbound.put_notice(stored(n, minutes=n))
        outbound.put_notice(stored(9, seller="globex"))
        first = outbound.list_notices("acme", None, None, 2)
        second = outbound.list_notices("acme", first.next_cursor, None, 10)
        assert [n.id for n in first.items + second.items] == [f"ntc_{n:04d}" for n in range(5)]
        assert outbound.list_notices("acme", second.next_cursor, None, 10).items == []
        assert outbound.list_notices("acme", None, "ticket.closed", 10).items == []
        assert [n.id for n in outbound.list_notices("globex", None, None, 10).items] == ["ntc_0009"]

    def test_a_dispatch_round_trips_and_is_versioned(self, outbound):
        dispatch = Dispatch("ntc_0001", "ep_1", "tk-1", T0)
        outbound.put_dispatch(dispatch, None)
        with pytest.raises(ConcurrencyError):
            outbound.put_dispatch(dispatch, None)
        tried = replace(dispatch.recorded(Attempt(T0, 500, 12, "HTTP 500")), next_at=T0)
        outbound.put_dispatch(tried, 1)
        with pytest.raises(ConcurrencyError):
            outbound.put_dispatch(replace(tried, state=DispatchState.DELIVERED), 1)
        assert outbound.load_dispatch("ntc_0001", "ep_1") == tried
        assert outbound.dispatches_of("ntc_0001") == [tried]

    def test_a_lane_starts_empty_and_moves_only_from_the_version_read(self, outbound):
        lane = outbound.load_lane("ep_1", "tk-1")
        assert lane == Lane("ep_1", "tk-1")
        outbound.put_lane(lane.appended("a"), 0)
        with pytest.raises(ConcurrencyError):
            outbound.put_lane(lane.appended("b"), 0)
        assert outbound.load_lane("ep_1", "tk-1") == Lane("ep_1", "tk-1", ("a",), 1)

    def test_endpoints_are_listed_by_owner(self, outbound):
        endpoint = Endpoint("ep_1", "seller:acme", "https://example.com/h",
                            (EndpointSecret("sealed", T0),), T0, ("sla.reminder",))
        outbound.put_endpoint(endpoint, None)
        outbound.put_endpoint(replace(endpoint, id="ep_2", owner="seller:globex"), None)
        assert outbound.endpoints_of("seller:acme") == [endpoint]
        outbound.put_endpoint(replace(endpoint, version=2), 1)
        outbound.delete_endpoint("ep_1")
        assert outbound.load_endpoint("ep_1") is None and outbound.endpoints_of("seller:acme") == []
