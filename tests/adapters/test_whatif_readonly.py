"""whatif reads DynamoDB through pages and writes nothing: a full scan of the table is the
same before and after; and it judges the same as on the in-memory store."""
from __future__ import annotations

from chalicelib.adapters.dynamo.store import DynamoTicketStore
from chalicelib.adapters.memory import InMemoryTicketStore
from chalicelib.policy.catalog import ProfileCatalog
from chalicelib.policy.profile import BUILT_IN, parse_profile
from chalicelib.services.profiles import Profiles
from chalicelib.services.whatif import WhatIf
from chalicelib.text.analysis import analyse
from soak.envs import tenants

from .conftest import TABLE
from .test_status_parity import lived

CANDIDATE = parse_profile((BUILT_IN / "cmsmart.yaml").read_text().replace(
    "{days: 3}", "{days: 1}"), "candidate.yaml")  # CMS-5 auto-closes after 1 day


def scan(client) -> list[dict]:
    items, start = [], {}
    while True:
        page = client.scan(TableName=TABLE, ConsistentRead=True, **start)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=lambda i: (i["PK"]["S"], i["SK"]["S"]))
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


def run(store, now):
    whatif = WhatIf(store, Profiles(tenants(), ProfileCatalog(())), analyse, as_of=lambda: now,
                    page_size=7)
    return whatif.run("acme", CANDIDATE), whatif.shadow("acme")


def test_whatif_on_dynamodb_changes_no_item(dynamodb):
    services, now = lived(DynamoTicketStore(dynamodb, TABLE))
    before = scan(dynamodb)
    report, _ = run(services.store, now)
    assert report.tickets > 20
    assert scan(dynamodb) == before


def test_whatif_reads_the_same_from_both_stores(dynamodb):
    dynamo, now = lived(DynamoTicketStore(dynamodb, TABLE))
    memory, _ = lived(InMemoryTicketStore())
    (on_dynamo, _), (in_memory, _) = run(dynamo.store, now), run(memory.store, now)
    assert on_dynamo.tickets == in_memory.tickets and on_dynamo.changed
    assert [t.view() for t in on_dynamo.changed] == [t.view() for t in in_memory.changed]
    assert on_dynamo.unexplained == in_memory.unexplained == []
