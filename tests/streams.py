"""The table's stream in tests on moto: read it and hand it to the notifier, as Lambda would."""
from __future__ import annotations

from typing import Callable

import boto3
from botocore.config import Config

from chalicelib.adapters.dynamo.store import DynamoTicketStore
from chalicelib.adapters.dynamo.stream_reader import StreamReader
from chalicelib.api import notifier
from chalicelib.local.notifier import StreamPump


def settle_for(services, table: str) -> Callable[[], int]:
    """Drains the stream of a DynamoDB store (call it where the stream would have been read);
    the in-memory store delivers its stream as it commits, so there it does nothing."""
    if not isinstance(services.store, DynamoTicketStore):
        return lambda: 0
    dynamodb = boto3.client("dynamodb", region_name="eu-west-1")  # the app's calls stay uncounted
    streams = boto3.client("dynamodbstreams", region_name="eu-west-1",
                           config=Config(account_id_endpoint_mode="disabled"))
    pump = StreamPump(StreamReader(dynamodb, streams, table),
                      lambda event: notifier.process(services, event))
    return pump.drain
