"""The notifier Lambda through chalice's test client: stream records in, partial failures out."""
from __future__ import annotations

import json

import pytest

from chalicelib.adapters.dynamo import keys, outbound_keys
from chalicelib.domain.notices import NoticeType
from chalicelib.domain.outbound import StoredNotice
from chalicelib.adapters.memory_outbound import InMemoryOutboundStore
from chalicelib.domain.errors import DependencyError
from tests import fakes
from tests.builders import T0


def record(sequence: str, item: dict, event: str = "INSERT") -> dict:
    return {"eventID": f"ev-{sequence}", "eventName": event,
            "dynamodb": {"SequenceNumber": sequence, "NewImage": keys.to_attrs(item)}}


def outbox(n: int) -> dict:
    notice = StoredNotice(f"ntc_{n}", NoticeType.TICKET_CLOSED, "cmsmart", "acme", "tk-1", {"n": n}, T0)
    return outbound_keys.outbox_item("tk-1", "cmsmart", f"wh-{n}", [notice], T0)


def test_outbox_records_are_fanned_out_and_other_items_skipped(client, services):
    event = {"Records": [record("1", outbox(1)), record("2", {"PK": "TICKET#x", "SK": "#TICKET", "type": "ticket"}),
                         record("3", outbox(3), event="MODIFY"), record("4", outbox(4))]}
    answer = client.lambda_.invoke("notifier", event)
    assert json.loads(json.dumps(answer.payload)) == {"batchItemFailures": []}
    assert {n for n in services.outbound.store.notices} == {"ntc_1", "ntc_4"}  # (ntc_2: none sent)


class RefusingStore(InMemoryOutboundStore):
    """Fails on one notice, as a table failing mid-batch would."""

    def put_notice(self, notice):
        if notice.id == "ntc_2":
            raise DependencyError("table unavailable")
        super().put_notice(notice)


@pytest.fixture
def services():
    return fakes.build(outbound_store=RefusingStore())


def test_the_first_failed_record_is_reported_and_nothing_after_it_is_processed(client, services):
    store = services.outbound.store
    event = {"Records": [record("1", outbox(1)), record("2", outbox(2)), record("3", outbox(3))]}
    answer = client.lambda_.invoke("notifier", event)
    assert answer.payload == {"batchItemFailures": [{"itemIdentifier": "2"}]}
    assert set(store.notices) == {"ntc_1"}
