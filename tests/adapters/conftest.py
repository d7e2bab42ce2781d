from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from chalicelib.adapters.dynamo.schema import create_table
from chalicelib.adapters.dynamo.store import DynamoTicketStore
from chalicelib.adapters.memory import InMemoryTicketStore
from chalicelib.adapters.scheduler import ensure_group

TABLE = "ticketwarden-test"
GROUP = "ticketwarden"


@pytest.fixture
def dynamodb(aws_env):
    """A fresh moto account per test: moto's transactions copy whole tables, so keep them small."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        create_table(client, TABLE)
        yield client


@pytest.fixture(params=["memory", "dynamo"])
def store(request):
    if request.param == "memory":
        return InMemoryTicketStore()
    return DynamoTicketStore(request.getfixturevalue("dynamodb"), TABLE)


@pytest.fixture
def scheduler(aws_env):
    """A fresh moto account per test, with the schedule group local mode creates."""
    with mock_aws():
        client = boto3.client("scheduler", region_name="eu-west-1")
        ensure_group(client, GROUP)
        yield client
