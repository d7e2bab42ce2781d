"""The table definition, shared by local mode, tests and (as data) the deployment template."""
from __future__ import annotations

from .keys import GSI1, GSI2, GSI3, TTL_ATTRIBUTE

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


def create_table(client, table_name: str) -> None:
    """Create the table with on-demand billing and TTL; a no-op if it exists."""
    if table_name in client.list_tables().get("TableNames", []):
        return
    client.create_table(TableName=table_name, KeySchema=KEY_SCHEMA,
                        AttributeDefinitions=ATTRIBUTES, GlobalSecondaryIndexes=GSIS,
                        BillingMode="PAY_PER_REQUEST")
    client.get_waiter("table_exists").wait(TableName=table_name,
                                           WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    client.update_time_to_live(TableName=table_name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": TTL_ATTRIBUTE})
