"""Local mode's stream pump: what Lambda's event source mapping does for the `notifier` on AWS.

Polls moto's stream, passes the records through the notifier Lambda's own handler in
batches, and keeps per-shard checkpoints: a batch that reports a failed record is resumed
from it on the next poll, the records before it are not processed twice (eventID dedupe).
"""
from __future__ import annotations

import collections
import threading
from typing import Callable

from chalicelib.adapters.aws import client, streams_client
from chalicelib.adapters.dynamo.stream_reader import CHECKPOINT_PK, StreamReader

from .pump import every

POLL_SECONDS = 0.1
SEEN_KEPT = 20_000


class StreamPump:
    def __init__(self, reader: StreamReader, handle: Callable[[dict], dict], batch: int = 10):
        self._reader = reader
        self._handle = handle
        self._batch = batch
        self._seen: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._lock = threading.Lock()  # the background loop and the timer pump's settling

    def poll_once(self) -> int:
        """Records handed to the notifier in this pass (repeats of an eventID are skipped)."""
        with self._lock:
            return self._poll()

    def drain(self) -> int:
        """Poll until the stream has nothing new (or only a record that keeps failing)."""
        total = 0
        while handled := self.poll_once():
            total += handled
        return total

    def _poll(self) -> int:
        handled = 0
        for shard in self._reader.shards():
            records = self._reader.records(shard, self._reader.checkpoint(shard))
            for start in range(0, len(records), self._batch):
                batch = records[start:start + self._batch]
                done, failed = self._deliver(shard, batch)
                handled += done
                if failed:
                    break  # the next poll starts again at the failed record
        return handled

    def _deliver(self, shard: str, batch: list[dict]) -> tuple[int, bool]:
        """(fresh records done, whether one failed). Repeats moto sends again, and the records of
        our own checkpoint writes, count for nothing: so `drain` ends."""
        fresh = [r for r in batch if r["eventID"] not in self._seen]
        result = self._handle({"Records": fresh}) if fresh else {"batchItemFailures": []}
        failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        last, done = None, 0
        for record in batch:
            sequence = record["dynamodb"]["SequenceNumber"]
            if sequence in failed:
                break
            done += record["eventID"] not in self._seen and not _checkpoint(record)
            self._remember(record["eventID"])
            last = sequence
        if last is not None:
            self._reader.save_checkpoint(shard, last)
        return done, bool(failed)

    def _remember(self, event_id: str) -> None:
        self._seen[event_id] = None
        while len(self._seen) > SEEN_KEPT:
            self._seen.popitem(last=False)

    def run_forever(self, stop: threading.Event) -> None:
        every(POLL_SECONDS, stop, self.poll_once, "stream pump")


def _checkpoint(record: dict) -> bool:
    return record["dynamodb"].get("Keys", {}).get("PK", {}).get("S") == CHECKPOINT_PK


def start_stream_pump(handle: Callable[[dict], dict], table_name: str) -> tuple[StreamPump, threading.Event]:
    reader = StreamReader(client("dynamodb"), streams_client(), table_name)
    pump = StreamPump(reader, handle)
    stop = threading.Event()
    threading.Thread(target=pump.run_forever, args=(stop,), name="stream-pump", daemon=True).start()
    return pump, stop
