"""Local mode's view of the table's stream (on AWS, Lambda's event source mapping reads it).

moto quirks (TRAPS.md): iterators taken earlier can go stale after a cancelled transaction,
so every read takes a fresh iterator from the stored checkpoint; sequence numbers can repeat,
so the caller dedupes on eventID. Checkpoints live in the table, so a restart resumes.
"""
from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.domain.errors import DependencyError

from . import keys

CHECKPOINT_PK = "LOCAL#STREAM"


class StreamReader:
    def __init__(self, dynamodb, streams, table_name: str):
        self._dynamodb = dynamodb
        self._streams = streams
        self._table = table_name

    def shards(self) -> list[str]:
        arn = self._stream_arn()
        found = self._call(self._streams, "describe_stream", StreamArn=arn)
        return [s["ShardId"] for s in found["StreamDescription"]["Shards"]]

    def records(self, shard_id: str, after: str | None, limit: int = 100) -> list[dict]:
        position = ({"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after}
                    if after else {"ShardIteratorType": "TRIM_HORIZON"})
        iterator = self._call(self._streams, "get_shard_iterator", StreamArn=self._stream_arn(),
                              ShardId=shard_id, **position)["ShardIterator"]
        return self._call(self._streams, "get_records", ShardIterator=iterator, Limit=limit)["Records"]

    def checkpoint(self, shard_id: str) -> str | None:
        found = self._call(self._dynamodb, "get_item", TableName=self._table, ConsistentRead=True,
                           Key=keys.to_attrs({"PK": CHECKPOINT_PK, "SK": shard_id}))
        return keys.from_attrs(found["Item"]).get("sequence") if "Item" in found else None

    def save_checkpoint(self, shard_id: str, sequence: str) -> None:
        self._call(self._dynamodb, "put_item", TableName=self._table, Item=keys.to_attrs(
            {"PK": CHECKPOINT_PK, "SK": shard_id, "type": "stream_checkpoint", "sequence": sequence}))

    def _stream_arn(self) -> str:
        if not hasattr(self, "_arn"):
            table = self._call(self._dynamodb, "describe_table", TableName=self._table)["Table"]
            self._arn = table["LatestStreamArn"]
        return self._arn

    @staticmethod
    def _call(client, operation: str, **params) -> dict:
        try:
            return getattr(client, operation)(**params)
        except (ClientError, BotoCoreError) as exc:
            raise DependencyError(f"DynamoDB Streams {operation} failed: {type(exc).__name__}") from exc
