"""DynamoDB ticket store: one TransactWriteItems per webhook, conditions built from named parts."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters import aws_errors
from chalicelib.services.cursors import decode_cursor, encode_cursor
from chalicelib.domain.errors import (AlreadyAppliedError, ConcurrencyError, DependencyError,
                                      RequestRejectedError, SlotTakenError)
from chalicelib.domain.model import EarlyClose, Order, SealedCredential, Ticket, TicketSummary
from chalicelib.services.ports import (Change, OrderRead, SlotWrite, TicketEntry, TicketPage,
                                       TicketQuery)

from chalicelib.services.outbox import by_subject, stored_notices

from . import keys, outbound_keys

MAX_OUTBOX_ITEM_BYTES = 350_000  # under DynamoDB's 400 KB item limit, with room for keys

MUST_BE_NEW = "attribute_not_exists(PK)"
VERSION_IS = "version = :expected"
HELD_BY = "ticket_id = :expected"
_RETRYABLE = {"TransactionConflict", "TransactionConflictException"}


class DynamoTicketStore:
    def __init__(self, client, table_name: str):
        self._client = client
        self._table = table_name

    def companion_outbound(self):
        """The outbound store on the same table (bootstrap's default)."""
        from .outbound_store import DynamoOutboundStore
        return DynamoOutboundStore(self._client, self._table)

    def load_ticket(self, ticket_id: str) -> Ticket | None:
        return self.load_thread(ticket_id)[0]

    def load_thread(self, ticket_id: str) -> tuple[Ticket | None, EarlyClose | None]:
        items = self._query_all(KeyConditionExpression="PK = :pk", ConsistentRead=True,
                                ExpressionAttributeValues=keys.to_attrs(
                                    {":pk": keys.ticket_key(ticket_id)["PK"]}))
        return _thread(items)

    def load_thread_and_orders(self, ticket_id: str, seller_id: str, customer_id: str
                               ) -> tuple[Ticket | None, EarlyClose | None, list[Order]]:
        """One ExecuteStatement over three partitions (an OR of partition keys is a query, not a
        scan): the thread, the customer's order summary, and the marker that says the summaries
        are complete; without the marker (a table from before them) the index is asked too."""
        summary = keys.order_summary_key(seller_id, customer_id)
        pks = [keys.ticket_key(ticket_id)["PK"], summary["PK"], keys.SUMMARIES_MARKER["PK"]]
        items = self._statement_all(
            f'SELECT * FROM "{self._table}" WHERE PK = ? OR PK = ? OR PK = ?', pks)
        thread = sorted((i for i in items if i["PK"] == pks[0]), key=lambda i: i["SK"])
        found = {(i["PK"], i["SK"]): i for i in items if i["PK"] != pks[0]}
        if (keys.SUMMARIES_MARKER["PK"], keys.SUMMARIES_MARKER["SK"]) not in found:
            return (*_thread(thread), self.orders_for_customer(seller_id, customer_id))
        entry = found.get((summary["PK"], summary["SK"]), {})
        return (*_thread(thread), keys.orders_from_summary(entry, seller_id, customer_id))

    def commit(self, change: Change) -> None:
        operations = self._operations(change)
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as exc:
            raise self._translate(exc, operations) from exc
        except BotoCoreError as exc:
            raise aws_errors.translate("DynamoDB", "transact_write_items", exc) from exc

    def _operations(self, change: Change) -> list[dict]:
        delivery = change.delivery
        record = keys.delivery_item(delivery.marketplace, delivery.webhook_id, delivery.body_hash,
                                    change.response, change.recorded_at)
        ops = [self._put(record, MUST_BE_NEW)]
        ops += [self._slot_op(slot) for slot in change.slots]
        for write in change.tickets:
            ops.append(self._head_write(keys.ticket_item(write.ticket, write.timers_changed),
                                        write.expected_version))
            ops += [self._put(keys.message_item(write.ticket.id, m)) for m in write.new_messages]
            ops += [self._put(keys.vault_item(write.ticket.id, s, change.recorded_at))
                    for s in write.vault_puts()]
            ops += [{"Delete": {"TableName": self._table,
                                "Key": keys.to_attrs(keys.vault_key(write.ticket.id, e))}}
                    for e in write.vault_deletes()]
        ops += [self._head_write(keys.order_item(w.order, w.timers_changed), w.expected_version)
                for w in change.orders]
        ops += self._summary_updates(w.order for w in change.orders)
        ops += self._digest_updates(change.tickets)
        ops += [self._put(keys.early_close_item(e, change.recorded_at), MUST_BE_NEW)
                for e in change.early_closes]
        ops += [self._put(item, MUST_BE_NEW) for item in self._outbox(change)]
        return ops

    def _summary_updates(self, orders) -> list[dict]:
        """Each customer's order summary gets the orders of this change: one update per
        customer (a transaction may not touch an item twice), no read needed."""
        by_customer: dict[tuple[str, str], list[Order]] = {}
        for order in orders:
            if order.seller_id and order.customer_id:
                by_customer.setdefault((order.seller_id, order.customer_id), []).append(order)
        return [{"Update": self._summary_update(seller_id, customer_id, mine)}
                for (seller_id, customer_id), mine in by_customer.items()]

    def _summary_update(self, seller_id: str, customer_id: str, orders: list[Order]) -> dict:
        return {"TableName": self._table,
                "Key": keys.to_attrs(keys.order_summary_key(seller_id, customer_id)),
                "UpdateExpression": "SET " + ", ".join(f"#o{n} = :o{n}" for n in range(len(orders))),
                "ExpressionAttributeNames": {f"#o{n}": keys.summary_attribute(o)
                                             for n, o in enumerate(orders)},
                "ExpressionAttributeValues": keys.to_attrs({f":o{n}": keys.summary_entry(o)
                                                            for n, o in enumerate(orders)})}

    def _digest_updates(self, writes) -> list[dict]:
        """The customer's ticket digest gets the entries that changed in this change: one
        update per (seller, customer) item, no read needed; most writes change none."""
        by_customer: dict[tuple[str, str], list] = {}
        for write in writes:
            entry = write.digest_entry()
            if entry is not None:
                ticket = write.ticket
                by_customer.setdefault((ticket.seller_id, ticket.customer_id), []).append(entry)
        return [{"Update": self._digest_update(seller_id, customer_id, entries)}
                for (seller_id, customer_id), entries in by_customer.items()]

    def _digest_update(self, seller_id: str, customer_id: str, entries: list,
                       only_missing: bool = False) -> dict:
        update = {"TableName": self._table,
                  "Key": keys.to_attrs(keys.ticket_digest_key(seller_id, customer_id)),
                  "UpdateExpression": "SET " + ", ".join(f"#t{n} = :t{n}" for n in range(len(entries))),
                  "ExpressionAttributeNames": {f"#t{n}": keys.digest_attribute(e.ticket_id)
                                               for n, e in enumerate(entries)},
                  "ExpressionAttributeValues": keys.to_attrs({f":t{n}": keys.digest_value(e)
                                                              for n, e in enumerate(entries)})}
        if only_missing:  # the backfill never overwrites what a transaction wrote meanwhile
            update["ConditionExpression"] = "attribute_not_exists(#t0)"
        return update

    def load_order_read(self, marketplace: str, order_id: str,
                        customer_id: str | None = None) -> OrderRead:
        """The order's partition (every seller's order of that id) and, given the customer,
        their ticket digests and the marker saying the digests are complete: one call."""
        partition = keys.order_partition(marketplace, order_id)["PK"]
        if customer_id is None:
            return OrderRead(self.orders_with_id(marketplace, order_id))
        customer = keys.customer_partition(customer_id)["PK"]
        items = self._with_digest_marker(partition, customer)
        orders = [keys.order_from_item(i) for i in sorted(items, key=lambda i: i["SK"])
                  if i["PK"] == partition and i["SK"].startswith(keys.ORDER_SK_PREFIX)]
        return OrderRead(orders, _digests(items, customer))

    def customer_tickets(self, seller_id: str, customer_id: str):
        digest = keys.ticket_digest_key(seller_id, customer_id)
        items = self._with_digest_marker(digest["PK"])
        found = _digests(items, digest["PK"])
        return None if found is None else found.get(seller_id, ())

    def _with_digest_marker(self, *partitions: str) -> list[dict]:
        """The partitions' items and the marker saying the digests are complete: one statement."""
        wanted = [*partitions, keys.DIGESTS_MARKER["PK"]]
        where = " OR ".join(["PK = ?"] * len(wanted))
        return self._statement_all(f'SELECT * FROM "{self._table}" WHERE {where}', wanted)

    def mark_ticket_digests_complete(self) -> None:
        self._call("put_item", TableName=self._table, Item=keys.to_attrs(keys.DIGESTS_MARKER_ITEM))

    def backfill_ticket_digests(self, progress=lambda n: None) -> int:
        """Give every stored ticket its digest entry, then the marker. Only missing entries are
        set: one a transaction wrote meanwhile is newer than what the scan read."""
        params, count = {"TableName": self._table, "FilterExpression": "#t = :ticket",
                         "ExpressionAttributeNames": {"#t": "type"},
                         "ExpressionAttributeValues": keys.to_attrs({":ticket": "ticket"})}, 0
        while True:
            page = self._call("scan", **params)
            for raw in page.get("Items", []):
                ticket = keys.ticket_from_item(keys.from_attrs(raw))
                try:
                    self._client.update_item(**self._digest_update(
                        ticket.seller_id, ticket.customer_id, [TicketEntry.of(ticket)], only_missing=True))
                    count += 1
                except ClientError as exc:
                    if aws_errors.code_of(exc) != "ConditionalCheckFailedException":
                        raise aws_errors.translate("DynamoDB", "update_item", exc) from exc
            progress(count)
            if "LastEvaluatedKey" not in page:
                break
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        self.mark_ticket_digests_complete()
        return count

    def mark_order_summaries_complete(self) -> None:
        self._call("put_item", TableName=self._table, Item=keys.to_attrs(keys.SUMMARIES_MARKER_ITEM))

    def backfill_order_summaries(self, progress=lambda n: None) -> int:
        """Write every stored order into its customer's summary, then the marker (idempotent:
        an order written meanwhile sets the same entry)."""
        params, count = {"TableName": self._table, "FilterExpression": "#t = :order",
                         "ExpressionAttributeNames": {"#t": "type"},
                         "ExpressionAttributeValues": keys.to_attrs({":order": "order"})}, 0
        while True:
            page = self._call("scan", **params)
            for raw in page.get("Items", []):
                order = keys.order_from_item(keys.from_attrs(raw))
                if order.seller_id and order.customer_id:
                    self._call("update_item", **self._summary_update(
                        order.seller_id, order.customer_id, [order]))
                    count += 1
            progress(count)
            if "LastEvaluatedKey" not in page:
                break
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        self.mark_order_summaries_complete()
        return count

    @staticmethod
    def _outbox(change: Change) -> list[dict]:
        """The notices, in the same transaction as the state: one item per subject, split
        only if one would pass the item size limit."""
        items, delivery = [], change.delivery
        for subject, notices in by_subject(stored_notices(change)).items():
            for n, chunk in enumerate(_chunks(notices)):
                suffix = f"#{n}" if n else ""
                items.append(outbound_keys.outbox_item(subject, delivery.marketplace,
                                                       delivery.webhook_id + suffix, chunk,
                                                       change.recorded_at))
        return items

    def _head_write(self, item: dict, expected_version: int | None) -> dict:
        """Optimistic concurrency: create if new, else only over the version we read. An
        update, not a put, so that a sync cue the item has (GSI2) stays unless `item` sets it."""
        if expected_version is None:
            return self._put(item, MUST_BE_NEW)
        kept, gone = {k: v for k, v in item.items() if v is not None}, keys.absent(item)
        names = {f"#a{n}": k for n, k in enumerate(kept) if k not in ("PK", "SK")}
        names.update({f"#r{n}": k for n, k in enumerate(gone)})
        sets = ", ".join(f"#a{n} = :a{n}" for n, k in enumerate(kept) if k not in ("PK", "SK"))
        removes = ", ".join(f"#r{n}" for n in range(len(gone)))
        values = {f":a{n}": v for n, (k, v) in enumerate(kept.items()) if k not in ("PK", "SK")}
        return {"Update": {"TableName": self._table,
                           "Key": keys.to_attrs({"PK": item["PK"], "SK": item["SK"]}),
                           "UpdateExpression": f"SET {sets}" + (f" REMOVE {removes}" if removes else ""),
                           "ConditionExpression": "#v = :expected",
                           "ExpressionAttributeNames": {**names, "#v": "version"},
                           "ExpressionAttributeValues": keys.to_attrs({**values,
                                                                       ":expected": expected_version}),
                           "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}

    def _put(self, item: dict, condition: str | None = None, values: dict | None = None) -> dict:
        put = {"TableName": self._table, "Item": keys.to_attrs(item)}
        if condition:
            put["ConditionExpression"] = condition
            put["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        if values:
            put["ExpressionAttributeValues"] = keys.to_attrs(values)
        return {"Put": put}

    def _slot_op(self, slot: SlotWrite) -> dict:
        key = keys.slot_key(slot.marketplace, slot.seller_id, slot.customer_id)
        if slot.ticket_id is None:
            return {"Delete": {"TableName": self._table, "Key": keys.to_attrs(key),
                               "ConditionExpression": HELD_BY,
                               "ExpressionAttributeValues": keys.to_attrs({":expected": slot.expected}),
                               "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}
        item = {**key, "type": "slot", "ticket_id": slot.ticket_id, "opened_key": slot.opened_key}
        if slot.expected is None:
            return self._put(item, MUST_BE_NEW)
        return self._put(item, HELD_BY, {":expected": slot.expected})

    def _translate(self, exc: ClientError, operations: list[dict]) -> Exception:
        if aws_errors.code_of(exc) != "TransactionCanceledException":
            return aws_errors.translate("DynamoDB", "transact_write_items", exc)
        reasons = exc.response.get("CancellationReasons", [])
        failed = [(i, r) for i, r in enumerate(reasons) if r.get("Code") not in (None, "None")]
        for index, reason in failed:
            if reason["Code"] == "ConditionalCheckFailed":
                return self._condition_failure(operations[index], reason.get("Item"))
        if any(r["Code"] in _RETRYABLE for _, r in failed):
            return ConcurrencyError("transaction conflict")
        if any(r["Code"] in aws_errors.REJECTED for _, r in failed):
            return RequestRejectedError(f"DynamoDB refused the transaction: {[r['Code'] for _, r in failed]}")
        return DependencyError(f"DynamoDB transaction cancelled: {[r['Code'] for _, r in failed]}")

    @staticmethod
    def _condition_failure(operation: dict, old_attrs: dict | None) -> Exception:
        body = operation.get("Put") or operation.get("Update") or operation.get("Delete")
        pk = (body.get("Item") or body.get("Key"))["PK"]["S"]
        old = keys.from_attrs(old_attrs) if old_attrs else None
        if pk.startswith("DELIVERY#") and old:
            return AlreadyAppliedError(keys.delivery_response(old), old["body_hash"])
        if pk.startswith("OPENSLOT#") and old:
            return SlotTakenError(old["ticket_id"], old.get("opened_key", ""))
        return ConcurrencyError(f"{pk} moved on")

    def list_tickets(self, query: TicketQuery) -> TicketPage:
        filters, values = _list_filters(query)
        values[":pk"] = keys.seller_gsi_pk(query.seller_id)
        key_condition = "GSI1PK = :pk" + _opened_range(query, values)
        params = {"IndexName": keys.GSI1, "KeyConditionExpression": key_condition,
                  "ScanIndexForward": False, "Limit": max(query.limit, 25)}
        if filters:
            params["FilterExpression"] = " AND ".join(filters)
        if query.status is not None:
            params["ExpressionAttributeNames"] = {"#status": "status"}
        if query.cursor:
            params["ExclusiveStartKey"] = _start_key(query.seller_id, decode_cursor(query.cursor))
        found: list[dict] = []
        while True:
            page = self._call("query", TableName=self._table,
                              ExpressionAttributeValues=keys.to_attrs(values), **params)
            found += [keys.from_attrs(i) for i in page.get("Items", [])]
            if len(found) > query.limit or "LastEvaluatedKey" not in page:
                break
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        items = [keys.ticket_summary_from_item(i) for i in found[: query.limit]]
        cursor = None
        if len(found) > query.limit:
            cursor = encode_cursor({"o": items[-1].opened_at.isoformat(), "i": items[-1].id})
        return TicketPage(items=items, next_cursor=cursor)

    def open_tickets(self, seller_id: str, limit: int) -> list[TicketSummary]:
        items = self._query_up_to(limit, IndexName=keys.GSI3, KeyConditionExpression="GSI3PK = :pk",
                                  ExpressionAttributeValues=keys.to_attrs(
                                      {":pk": keys.open_gsi_pk(seller_id)}))
        return [keys.ticket_summary_from_item(i) for i in items]

    def tickets_opened_since(self, seller_id: str, since: datetime, limit: int
                             ) -> list[TicketSummary]:
        items = self._query_up_to(
            limit, IndexName=keys.GSI1, ScanIndexForward=False,
            KeyConditionExpression="GSI1PK = :pk AND GSI1SK >= :low",
            ExpressionAttributeValues=keys.to_attrs({":pk": keys.seller_gsi_pk(seller_id),
                                                     ":low": keys.utc_iso(since)}))
        return [keys.ticket_summary_from_item(i) for i in items]

    def seller_orders(self, seller_id: str, active_since: datetime, limit: int) -> list[Order]:
        items = self._query_up_to(
            limit, IndexName=keys.GSI3, KeyConditionExpression="GSI3PK = :pk AND GSI3SK >= :low",
            ExpressionAttributeValues=keys.to_attrs({":pk": keys.orders_gsi_pk(seller_id),
                                                     ":low": keys.utc_iso(active_since)}))
        return [keys.order_from_item(i) for i in items]

    def _query_up_to(self, limit: int, **params) -> list[dict]:
        """A key-range query read page by page, stopping at `limit` items."""
        items: list[dict] = []
        while len(items) < limit:
            page = self._call("query", TableName=self._table, Limit=limit - len(items), **params)
            items += [keys.from_attrs(i) for i in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                break
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return items

    def load_vault(self, ticket_id: str) -> list[SealedCredential]:
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :v)", ConsistentRead=True,
            ExpressionAttributeValues=keys.to_attrs({":pk": keys.ticket_key(ticket_id)["PK"],
                                                     ":v": "VAULT#"}))
        return [keys.sealed_from_item(i) for i in items]

    def count_vault_items(self) -> int:
        """For the privacy scan and operators: a full scan, never on a request path."""
        count, params = 0, {"FilterExpression": "#t = :vault",
                            "ExpressionAttributeNames": {"#t": "type"},
                            "ExpressionAttributeValues": keys.to_attrs({":vault": "vault"})}
        while True:
            page = self._call("scan", TableName=self._table, **params)
            count += len(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return count
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def load_order(self, marketplace: str, seller_id: str, order_id: str) -> Order | None:
        found = self._call("get_item", TableName=self._table, ConsistentRead=True,
                           Key=keys.to_attrs(keys.order_key(marketplace, seller_id, order_id)))
        return keys.order_from_item(keys.from_attrs(found["Item"])) if "Item" in found else None

    def orders_with_id(self, marketplace: str, order_id: str) -> list[Order]:
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :s)", ConsistentRead=True,
            ExpressionAttributeValues=keys.to_attrs(
                {":pk": keys.order_partition(marketplace, order_id)["PK"], ":s": keys.ORDER_SK_PREFIX}))
        return [keys.order_from_item(i) for i in items]

    def orders_for_customer(self, seller_id: str, customer_id: str) -> list[Order]:
        items = self._query_all(
            IndexName=keys.GSI1, KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues=keys.to_attrs(
                {":pk": keys.seller_orders_gsi_pk(seller_id, customer_id)}))
        return [o for o in map(keys.order_from_item, items) if o.seller_id == seller_id]

    def mark_timers_synced(self, subject_id: str, version: int) -> None:
        try:
            self._client.update_item(
                TableName=self._table, Key=keys.to_attrs(keys.subject_key(subject_id)),
                UpdateExpression="REMOVE GSI2PK, GSI2SK", ConditionExpression=VERSION_IS,
                ExpressionAttributeValues=keys.to_attrs({":expected": version}))
        except ClientError as exc:
            if aws_errors.code_of(exc) != "ConditionalCheckFailedException":
                raise aws_errors.translate("DynamoDB", "update_item", exc) from exc
        except BotoCoreError as exc:
            raise aws_errors.translate("DynamoDB", "update_item", exc) from exc

    def unsynced_subjects(self, limit: int = 100) -> list[str]:
        page = self._call("query", TableName=self._table, IndexName=keys.GSI2, Limit=limit,
                          KeyConditionExpression="GSI2PK = :pk",
                          ExpressionAttributeValues=keys.to_attrs({":pk": keys.UNSYNCED}))
        return [keys.from_attrs(i)["GSI2SK"] for i in page.get("Items", [])]

    def _query_all(self, **params) -> list[dict]:
        items: list[dict] = []
        while True:
            page = self._call("query", TableName=self._table, **params)
            items += [keys.from_attrs(i) for i in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                return items
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _statement_all(self, statement: str, parameters: list[str]) -> list[dict]:
        params = {"Statement": statement, "ConsistentRead": True,
                  "Parameters": [{"S": p} for p in parameters]}
        items: list[dict] = []
        while True:
            page = self._call("execute_statement", **params)
            items += [keys.from_attrs(i) for i in page.get("Items", [])]
            if not page.get("NextToken"):
                return items
            params["NextToken"] = page["NextToken"]

    def _call(self, operation: str, **params) -> dict:
        try:
            return getattr(self._client, operation)(**params)
        except (ClientError, BotoCoreError) as exc:
            raise aws_errors.translate("DynamoDB", operation, exc) from exc


def _thread(items: list[dict]) -> tuple[Ticket | None, EarlyClose | None]:
    """A ticket partition's items, in key order: the ticket, or the close before it."""
    head = next((i for i in items if i["SK"] == "#TICKET"), None)
    if head is None:
        return None, None
    if head["type"] == keys.EARLY_CLOSE:
        return None, keys.early_close_from_item(head)
    messages = tuple(keys.message_from_item(i) for i in items if i["SK"].startswith("MSG#"))
    return keys.ticket_from_item(head, messages), None


def _digests(items: list[dict], customer_pk: str) -> dict[str, tuple[TicketEntry, ...]] | None:
    """The customer's digests by seller, or None without the marker (digests incomplete)."""
    if not any((i["PK"], i["SK"]) == (keys.DIGESTS_MARKER["PK"], keys.DIGESTS_MARKER["SK"]) for i in items):
        return None
    return {keys.digest_seller(i): keys.entries_from_digest(i) for i in items
            if i["PK"] == customer_pk and i["SK"].startswith(keys.DIGEST_SK_PREFIX)}


def _chunks(notices: list) -> list[list]:
    chunks, size = [[]], 0
    for notice in notices:
        weight = len(json.dumps(outbound_keys.notice_dict(notice)).encode())
        if chunks[-1] and size + weight > MAX_OUTBOX_ITEM_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(notice)
        size += weight
    return chunks


def _list_filters(query: TicketQuery) -> tuple[list[str], dict]:
    filters, values = [], {}
    for name, value in (("#status", query.status), ("product_id", query.product_id),
                        ("customer_id", query.customer_id)):
        if value is not None:
            placeholder = ":" + name.strip("#")
            filters.append(f"{name} = {placeholder}")
            values[placeholder] = value
    if query.due_before is not None:
        filters.append("next_due < :due_before")
        values[":due_before"] = _utc_iso(query.due_before)
    return filters, values


def _opened_range(query: TicketQuery, values: dict) -> str:
    """[opened_from, opened_until) on the sort key `<opened_at>#<id>`."""
    low, high = query.opened_from, query.opened_until
    if low is not None:
        values[":low"] = _utc_iso(low)
    if high is not None:
        values[":high"] = _utc_iso(high)
    if low is not None and high is not None:
        return " AND GSI1SK BETWEEN :low AND :high"
    if low is not None:
        return " AND GSI1SK >= :low"
    return " AND GSI1SK < :high" if high is not None else ""


def _utc_iso(value) -> str:
    return value.astimezone(timezone.utc).isoformat()


def _start_key(seller_id: str, cursor: dict) -> dict:
    ticket_id = str(cursor.get("i", ""))
    return keys.to_attrs({**keys.ticket_key(ticket_id), "GSI1PK": keys.seller_gsi_pk(seller_id),
                          "GSI1SK": keys.seller_gsi_sk(str(cursor.get("o", "")), ticket_id)})
