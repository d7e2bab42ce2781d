"""Counts AWS calls with botocore event hooks, and prices DynamoDB requests in capacity units.

`before-call` counts each API call once (retries are not new calls; a TransactWriteItems is one
round trip). `before-parameter-build` sees the request as the code wrote it, to size items;
`after-call` sees what came back, to size reads. Sizes follow DynamoDB's item-size rules
(attribute names + values; numbers ~ digits/2 + 1; 3 bytes per list/map + 1 per element).
Write units: ceil(KB) per item, doubled inside a transaction, the larger of old and new item;
index writes apart (not doubled). Read units: ceil(4 KB) per request over all items returned
(min 1), halved when eventually consistent (GSI queries).
"""
from __future__ import annotations

import math
from collections import Counter


def attr_size(value: dict) -> int:
    (kind, inner), = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return len(inner.strip("-").replace(".", "").lstrip("0")) // 2 + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "BS"):
        return sum(len(v.encode() if isinstance(v, str) else v) for v in inner)
    if kind == "NS":
        return sum(len(v) // 2 + 1 for v in inner)
    if kind == "L":
        return 3 + sum(1 + attr_size(v) for v in inner)
    return 3 + sum(1 + len(k.encode()) + attr_size(v) for k, v in inner.items())  # M


def item_size(item: dict) -> int:
    return sum(len(name.encode()) + attr_size(value) for name, value in item.items())


def _key(item: dict) -> tuple:
    return (item["PK"]["S"], item["SK"]["S"])


def _label(key: tuple) -> str:
    """The item type: the sort key's prefix, or the partition's when the sort key is a time."""
    head = key[1].split("#")[0]
    return key[0].split("#")[0] if not head or head[0].isdigit() else head


def _head_update(body: dict, old: tuple) -> tuple[int, tuple] | None:
    """A ticket or order head rewritten by an update (every attribute SET; the sync cue kept
    unless SET): its new size and index flags. None for any other update."""
    names = body.get("ExpressionAttributeNames", {})
    values = body.get("ExpressionAttributeValues", {})
    expression = body.get("UpdateExpression", "")
    if not expression.startswith("SET #a"):
        return None
    item = {names[f"#a{n[2:]}"]: v for n, v in values.items() if n.startswith(":a")}
    size = item_size({**body["Key"], **item})
    cue = "GSI2PK" in item or old[2]
    if cue and "GSI2PK" not in item:
        size += 40  # the cue's two attributes, kept from the stored item
    return size, (size, "GSI1PK" in item, cue, "GSI3PK" in item)


class CallMeter:
    """Per-delivery tallies: `reset()`, deliver, then read `calls`, `wru`, `rru`."""

    def __init__(self) -> None:
        self.on = True
        self.calls: Counter = Counter()
        self.wru = self.rru = self.gsi_wru = 0.0
        self.sizes: dict[tuple, tuple] = {}   # shadow of item sizes, for deletes and updates
        self.written: Counter = Counter()   # bytes written by item type
        self.by_item: Counter = Counter()   # write units by item type

    def attach(self, client) -> None:
        client.meta.events.register("before-call.*.*", self._count)
        client.meta.events.register("before-parameter-build.dynamodb.*", self._writes)
        client.meta.events.register("after-call.dynamodb.*", self._reads)

    def reset(self) -> None:
        self.calls, self.wru, self.rru, self.gsi_wru = Counter(), 0.0, 0.0, 0.0
        self.written, self.by_item = Counter(), Counter()

    def _count(self, model, context=None, **_) -> None:
        if self.on:
            self.calls[(model.service_model.endpoint_prefix, model.name)] += 1

    def _writes(self, params, model, context=None, **_) -> None:
        if context is not None:
            context["bench_consistent"] = bool(params.get("ConsistentRead"))
        if not self.on:
            return
        if model.name == "TransactWriteItems":
            for op in params["TransactItems"]:
                (kind, body), = op.items()
                self._write(body, kind, factor=2)
        elif model.name in ("PutItem", "UpdateItem", "DeleteItem"):
            self._write(params, model.name.removesuffix("Item"), factor=1)

    def _write(self, body: dict, kind: str, factor: int) -> None:
        """Base-table units (doubled in a transaction) and index units (GSI1 and GSI3 project ALL:
        1 per KB of the item while it is in the index, and when it leaves GSI3; GSI2 is KEYS_ONLY:
        1 when the cue is added or removed). A head's update counts as the put it replaces."""
        key = _key(body.get("Item") or body["Key"])
        label = _label(key)
        old = self.sizes.get(key, (1, False, False, False))
        head = _head_update(body, old) if kind == "Update" else None
        if kind == "Put":
            item = body["Item"]
            size = item_size(item)
            new = (size, "GSI1PK" in item, "GSI2PK" in item, "GSI3PK" in item)
        elif head:
            size, new = head
        if kind == "Put" or head:
            self.written[label] += size
            base = math.ceil(max(size, old[0] if key in self.sizes else 0) / 1024)
        else:  # Delete, or an update of a marker (the GSI2 cue, a digest or summary entry)
            new = None if kind == "Delete" else (old[0], old[1], False, old[3])
            base, label = math.ceil(old[0] / 1024), label if kind == "Delete" else f"{label} (marker update)"
        kb = math.ceil((new or old)[0] / 1024)
        gsi = (kb if (new or old)[1] else 0) + int(old[2] != bool(new and new[2]))
        gsi += kb if (new and new[3]) or old[3] else 0
        if new is None:
            self.sizes.pop(key, None)
        else:
            self.sizes[key] = new
        self.wru += factor * max(1, base)
        self.gsi_wru += gsi
        self.by_item[label] += factor * max(1, base)
        self.by_item["index writes (GSI1, GSI2, GSI3)"] += gsi

    def _reads(self, parsed, model, context=None, **_) -> None:
        if not self.on or model.name not in ("Query", "GetItem", "Scan"):
            return
        items = parsed.get("Items") or ([parsed["Item"]] if parsed.get("Item") else [])
        units = max(1, math.ceil(sum(item_size(i) for i in items) / 4096))
        self.rru += units if (context or {}).get("bench_consistent") else units / 2
