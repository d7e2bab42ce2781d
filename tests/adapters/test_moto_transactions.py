"""The local-mode moto patch: transactions are atomic and isolated under concurrency."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import boto3
import requests
from botocore.config import Config
import pytest
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from chalicelib.adapters.dynamo.schema import create_table
from chalicelib.local import moto_dynamodb
from tests.e2e.conftest import free_port

TABLE = "tw-moto"
THREADS = 24


@pytest.fixture
def patched_dynamodb(aws_env):
    """moto in server mode, as `make run` uses it: requests really run in parallel threads."""
    moto_dynamodb.install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        requests.post(f"http://{host}:{port}/moto-api/reset", timeout=5)
        client = boto3.client("dynamodb", region_name="eu-west-1", endpoint_url=f"http://{host}:{port}",
                              config=Config(max_pool_connections=THREADS))
        create_table(client, TABLE)
        yield client
    finally:
        server.stop()
        moto_dynamodb.uninstall()


def put(pk: str, condition: str | None = None) -> dict:
    op = {"TableName": TABLE, "Item": {"PK": {"S": pk}, "SK": {"S": "#"}, "v": {"S": pk}}}
    if condition:
        op.update(ConditionExpression=condition, ReturnValuesOnConditionCheckFailure="ALL_OLD")
    return {"Put": op}


def attempt(client, items) -> bool:
    try:
        client.transact_write_items(TransactItems=items)
        return True
    except ClientError:
        return False


def keys(client) -> set[str]:
    """The partitions written (the schema marker a new table starts with left out)."""
    return {i["PK"]["S"] for i in client.scan(TableName=TABLE)["Items"]} - {"SCHEMA"}


def test_concurrent_successful_and_failing_transactions_lose_no_write(patched_dynamodb):
    client = patched_dynamodb
    client.put_item(TableName=TABLE, Item={"PK": {"S": "taken"}, "SK": {"S": "#"}})
    filler = {f"filler-{n}" for n in range(300)}  # a fuller table widens moto's restore window
    for pk in filler:
        client.put_item(TableName=TABLE, Item={"PK": {"S": pk}, "SK": {"S": "#"}})
    work = [[put(f"ok-{n}")] if n % 2 else [put(f"lost-{n}"), put("taken", "attribute_not_exists(PK)")]
            for n in range(THREADS * 2)]
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda items: attempt(client, items), work))
    assert results == [bool(n % 2) for n in range(THREADS * 2)]
    assert keys(client) == {"taken"} | filler | {f"ok-{n}" for n in range(1, THREADS * 2, 2)}


def test_exactly_one_of_many_concurrent_claims_wins(patched_dynamodb):
    client = patched_dynamodb
    work = [[put(f"mine-{n}"), put("slot", "attribute_not_exists(PK)")] for n in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        wins = sum(pool.map(lambda items: attempt(client, items), work))
    assert wins == 1
    assert len([k for k in keys(client) if k.startswith("mine-")]) == 1


def test_a_failed_condition_returns_the_old_item_and_applies_nothing(patched_dynamodb):
    client = patched_dynamodb
    client.put_item(TableName=TABLE, Item={"PK": {"S": "slot"}, "SK": {"S": "#"}, "v": {"S": "old"}})
    with pytest.raises(ClientError) as raised:
        client.transact_write_items(TransactItems=[put("new"), put("slot", "attribute_not_exists(PK)")])
    reasons = raised.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "ConditionalCheckFailed"]
    assert reasons[1]["Item"]["v"] == {"S": "old"}
    assert keys(client) == {"slot"}


def test_two_operations_on_one_item_are_refused(patched_dynamodb):
    with pytest.raises(ClientError):
        patched_dynamodb.transact_write_items(TransactItems=[put("a"), put("a")])


def test_the_partition_statement_answers_as_moto_would_from_those_partitions_only(patched_dynamodb):
    """store.load_thread_and_orders' statement: same items as moto's own PartiQL, in key order,
    without reading the rest of the table (moto's costs grows with it)."""
    client = patched_dynamodb
    for pk, sk in [("A", "2"), ("A", "1"), ("B", "x"), ("C", "y")]:
        client.put_item(TableName=TABLE, Item={"PK": {"S": pk}, "SK": {"S": sk}})
    statement = f'SELECT * FROM "{TABLE}" WHERE PK = ? OR PK = ? OR PK = ?'
    params = [{"S": "A"}, {"S": "C"}, {"S": "none"}]
    ours = client.execute_statement(Statement=statement, Parameters=params)["Items"]
    assert [(i["PK"]["S"], i["SK"]["S"]) for i in ours] == [("A", "1"), ("A", "2"), ("C", "y")]
    moto_dynamodb.uninstall()
    try:
        theirs = client.execute_statement(Statement=statement, Parameters=params)["Items"]
    finally:
        moto_dynamodb.install()
    key = lambda i: (i["PK"]["S"], i["SK"]["S"])  # noqa: E731
    assert sorted(ours, key=key) == sorted(theirs, key=key)
