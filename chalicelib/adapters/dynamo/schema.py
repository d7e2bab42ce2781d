"""The table definition, shared by local mode, tests and (as data) the deployment template."""
from __future__ import annotations

from .keys import (DIGESTS_MARKER_ITEM, GSI1, GSI2, GSI3, SUMMARIES_MARKER_ITEM, TTL_ATTRIBUTE,
                   to_attrs)

KEY_SCHEMA = [{"AttributeName": "PK", "KeyType": "HASH"},
              {"AttributeName": "SK", "KeyType": "RANGE"}]
ATTRIBUTES = [{"AttributeName": name, "AttributeType": "S"}
              for name in ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK",
                           "GSI3PK", "GSI3SK")]
GSIS = [{"IndexName": GSI1,
         "KeySchema": [{"AttributeName": "GSI1PK", "KeyType": "HASH"},
                       {"AttributeName": "GSI1SK", "KeyType": "RANGE"}],
         "Projection": {"ProjectionType": "ALL"}},
        {"IndexName": GSI2,
         "KeySchema": [{"AttributeName": "GSI2PK", "KeyType": "HASH"},
                       {"AttributeName": "GSI2SK", "KeyType": "RANGE"}],
         "Projection": {"ProjectionType": "KEYS_ONLY"}},
        {"IndexName": GSI3,  # sparse: open tickets and active orders per seller (the summary)
         "KeySchema": [{"AttributeName": "GSI3PK", "KeyType": "HASH"},
                       {"AttributeName": "GSI3SK", "KeyType": "RANGE"}],
         "Projection": {"ProjectionType": "ALL"}}]

# The outbox's notices and the timer changes reach the notifier this way; the old image tells
# which timers a change retired.
STREAM = {"StreamViewType": "NEW_AND_OLD_IMAGES"}


def create_table(client, table_name: str) -> None:
    """Create the table with on-demand billing, TTL and the outbox stream; if it exists, add the
    indexes it lacks and turn the stream on (a table from before them)."""
    if table_name in client.list_tables().get("TableNames", []):
        add_missing_indexes(client, table_name)
        _stream_on(client, table_name)
        return
    client.create_table(TableName=table_name, KeySchema=KEY_SCHEMA,
                        AttributeDefinitions=ATTRIBUTES, GlobalSecondaryIndexes=GSIS,
                        BillingMode="PAY_PER_REQUEST",
                        StreamSpecification={"StreamEnabled": True, **STREAM})
    client.get_waiter("table_exists").wait(TableName=table_name,
                                           WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    client.update_time_to_live(TableName=table_name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": TTL_ATTRIBUTE})
    # a new table has no order without its summary entry (an old one needs the backfill)
    client.put_item(TableName=table_name, Item=to_attrs(SUMMARIES_MARKER_ITEM))
    client.put_item(TableName=table_name, Item=to_attrs(DIGESTS_MARKER_ITEM))  # same, per ticket


def _stream_on(client, table_name: str) -> None:
    """A table from before the stream, or with another view of it, gets this one."""
    spec = client.describe_table(TableName=table_name)["Table"].get("StreamSpecification", {})
    if spec.get("StreamEnabled") and spec.get("StreamViewType") == STREAM["StreamViewType"]:
        return
    if spec.get("StreamEnabled"):  # a view type cannot change in place
        client.update_table(TableName=table_name, StreamSpecification={"StreamEnabled": False})
    client.update_table(TableName=table_name, StreamSpecification={"StreamEnabled": True, **STREAM})


def add_missing_indexes(client, table_name: str) -> None:
    """A table kept from an older version (local state) gets the indexes added since, one a call.

    Items written before keep no entry in the new index until they are written again.
    """
    have = {g["IndexName"] for g in client.describe_table(TableName=table_name)["Table"]
            .get("GlobalSecondaryIndexes", [])}
    for index in (g for g in GSIS if g["IndexName"] not in have):
        names = {k["AttributeName"] for k in index["KeySchema"]}
        client.update_table(TableName=table_name,
                            AttributeDefinitions=[a for a in ATTRIBUTES if a["AttributeName"] in names],
                            GlobalSecondaryIndexUpdates=[{"Create": index}])
