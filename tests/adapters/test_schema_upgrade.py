"""A table kept from before GSI3 (local state across `make run`s) gets it on the next start."""
from __future__ import annotations

from chalicelib.adapters.dynamo import schema
from chalicelib.adapters.dynamo.store import DynamoTicketStore
from tests.adapters.conftest import TABLE
from tests.adapters.test_store_contract import a_ticket, create


def test_an_older_table_gets_the_missing_index_and_serves_the_summary_reads(aws_env):
    import boto3
    from moto import mock_aws
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(TableName=TABLE, KeySchema=schema.KEY_SCHEMA,
                            AttributeDefinitions=[a for a in schema.ATTRIBUTES
                                                  if not a["AttributeName"].startswith("GSI3")],
                            GlobalSecondaryIndexes=schema.GSIS[:2], BillingMode="PAY_PER_REQUEST")
        schema.create_table(client, TABLE)
        indexes = client.describe_table(TableName=TABLE)["Table"]["GlobalSecondaryIndexes"]
        assert sorted(g["IndexName"] for g in indexes) == ["GSI1", "GSI2", "GSI3"]
        store = DynamoTicketStore(client, TABLE)
        create(store, a_ticket("th-after"))
        assert [t.thread_id for t in store.open_tickets("acme", 10)] == ["th-after"]
        schema.create_table(client, TABLE)  # again: nothing left to add
