"""A tested local-mode patch of moto's DynamoDB transactions (moto copies tables per item).

moto 5.2 applies a transaction item by item and, on failure, restores a deep copy of every
table it touches. Two consequences matter for `make run`: cost grows with table size, and
concurrent requests can lose each other's writes when one restores its stale copy. This
patch checks every condition first and applies only if all hold, under one lock shared with
the other item operations, so transactions are atomic and isolated and nothing is copied.
The store's one PartiQL statement (a read of a few partitions) is answered from those
partitions under the same lock; moto would serialise every table to JSON for it.
"""
from __future__ import annotations

import functools
import re
import threading
from typing import Any

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (MultipleTransactionsException, TooManyTransactionsException,
                                      TransactionCanceledException, TransactWriteSingleOpException)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType

LOCK = threading.RLock()
GUARDED = ("put_item", "delete_item", "update_item", "get_item", "query", "scan", "batch_get_item")
_installed: dict[str, Any] = {}


def install() -> None:
    """Idempotent: wrap the backend methods once per process."""
    if _installed:
        return
    for name in GUARDED:
        _installed[name] = getattr(DynamoDBBackend, name)
        setattr(DynamoDBBackend, name, _locked(_installed[name]))
    _installed["transact_write_items"] = DynamoDBBackend.transact_write_items
    DynamoDBBackend.transact_write_items = transact_write_items
    _installed["execute_statement"] = DynamoDBBackend.execute_statement
    DynamoDBBackend.execute_statement = execute_statement


def uninstall() -> None:
    for name, original in _installed.items():
        setattr(DynamoDBBackend, name, original)
    _installed.clear()


def _locked(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with LOCK:
            return method(*args, **kwargs)
    return wrapper


# The one statement the store makes: items of a few partitions (store.load_thread_and_orders).
_PARTITIONS = re.compile(r'SELECT \* FROM "([^"]+)" WHERE PK = \?((?: OR PK = \?)*)')


def execute_statement(self: DynamoDBBackend, statement: str, parameters: list[dict[str, Any]]):
    """moto turns every item of every table into JSON for each statement (slower as the table
    grows) and reads without the transactions' lock; a read of whole partitions, the only
    statement the store makes, is answered from those partitions, under the lock."""
    match = _PARTITIONS.fullmatch(statement.strip())
    with LOCK:
        if match is None or len(parameters) != 1 + match.group(2).count("?"):
            return _installed["execute_statement"](self, statement, parameters)
        table = self.get_table(match.group(1))
        items = []
        for parameter in parameters:
            rows = table.items.get(DynamoType(parameter), {})
            items += [rows[k].to_json()["Attributes"] for k in sorted(rows)]
        return items


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    with LOCK:
        operations = [_operation(self, item) for item in transact_items]
        _check_unique(operations)
        errors = [_condition_error(self, op_type, op, key) for op_type, op, key in operations]
        if any(code is not None for code, _, _ in errors):
            raise TransactionCanceledException(errors)
        for op_type, op, key in operations:
            _apply(self, op_type, op, key)


def _operation(backend: DynamoDBBackend, item: dict[str, Any]) -> tuple[str, dict, dict]:
    if len(item) != 1:
        raise TransactWriteSingleOpException
    op_type, op = next(iter(item.items()))
    if op_type == "Put":
        table = backend.get_table(op["TableName"])
        key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
        if table.range_key_attr is not None:
            key[table.range_key_attr] = op["Item"][table.range_key_attr]
        return op_type, op, key
    return op_type, op, op["Key"]


def _check_unique(operations) -> None:
    seen = set()
    for _, op, key in operations:
        marker = (op["TableName"], str(sorted(key.items())))
        if marker in seen:
            raise MultipleTransactionsException()
        seen.add(marker)


def _condition_error(backend: DynamoDBBackend, op_type: str, op: dict, key: dict):
    expression = op.get("ConditionExpression")
    if expression is None:
        return (None, None, None)
    current = _installed["get_item"](backend, op["TableName"], key)
    condition = get_filter_expression(expression, op.get("ExpressionAttributeNames"),
                                      op.get("ExpressionAttributeValues"))
    if condition.expr(current):
        return (None, None, None)
    old = None
    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
        old = current.to_json()["Attributes"]
    return ("ConditionalCheckFailed", "The conditional request failed", old)


def _apply(backend: DynamoDBBackend, op_type: str, op: dict, key: dict) -> None:
    names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    if op_type == "Put":
        _installed["put_item"](backend, op["TableName"], op["Item"])
    elif op_type == "Delete":
        _installed["delete_item"](backend, op["TableName"], key)
    elif op_type == "Update":
        _installed["update_item"](backend, op["TableName"], key,
                                  update_expression=op["UpdateExpression"],
                                  expression_attribute_names=names,
                                  expression_attribute_values=values)
