"""DynamoDB outbound store: notices, deliveries, lanes and endpoints in the one table."""
from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters.memory import decode_cursor, encode_cursor
from chalicelib.domain.errors import ConcurrencyError, DependencyError
from chalicelib.domain.outbound import Dispatch, Endpoint, Lane, StoredNotice
from chalicelib.services.outbound_ports import NoticePage

from . import keys
from . import outbound_keys as ok

MUST_BE_NEW = "attribute_not_exists(PK)"
VERSION_IS = "version = :expected"


class DynamoOutboundStore:
    def __init__(self, client, table_name: str):
        self._client = client
        self._table = table_name

    def put_notice(self, notice: StoredNotice) -> None:
        try:
            self._put(ok.notice_item(notice), None)
        except ConcurrencyError:
            pass  # already stored: notices never change

    def load_notice(self, notice_id: str) -> StoredNotice | None:
        item = self._get(ok.notice_key(notice_id))
        return ok.notice_from_item(item) if item else None

    def list_notices(self, seller_id: str, after: str | None, notice_type: str | None,
                     limit: int) -> NoticePage:
        values = {":pk": ok.notices_gsi_pk(seller_id)}
        condition = "GSI1PK = :pk"
        if after:
            start = decode_cursor(after).get("k", ["", ""])
            values[":after"] = f"{start[0]}#{start[1]}"
            condition += " AND GSI1SK > :after"
        params = {"IndexName": keys.GSI1, "KeyConditionExpression": condition, "Limit": limit}
        if notice_type:
            params["FilterExpression"] = "contains(notice, :type)"
            values[":type"] = f'"type": "{notice_type}"'
        found: list[StoredNotice] = []
        while len(found) < limit:
            page = self._call("query", TableName=self._table,
                              ExpressionAttributeValues=keys.to_attrs(values), **params)
            found += [n for n in (ok.notice_from_item(keys.from_attrs(i)) for i in page["Items"])
                      if notice_type is None or n.type.value == notice_type]
            if "LastEvaluatedKey" not in page:
                break
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        found = found[:limit]
        cursor = encode_cursor({"k": [found[-1].created_at.isoformat(), found[-1].id]}) if found else after
        return NoticePage(items=found, next_cursor=cursor)

    def load_dispatch(self, notice_id: str, endpoint_id: str) -> Dispatch | None:
        item = self._get(ok.dispatch_key(notice_id, endpoint_id))
        return ok.dispatch_from_item(item) if item else None

    def dispatches_of(self, notice_id: str) -> list[Dispatch]:
        page = self._call("query", TableName=self._table, ConsistentRead=True,
                          KeyConditionExpression="PK = :pk AND begins_with(SK, :d)",
                          ExpressionAttributeValues=keys.to_attrs(
                              {":pk": ok.notice_key(notice_id)["PK"], ":d": "DISPATCH#"}))
        return [ok.dispatch_from_item(keys.from_attrs(i)) for i in page["Items"]]

    def put_dispatch(self, dispatch: Dispatch, expected_version: int | None) -> None:
        self._put(ok.dispatch_item(dispatch), expected_version)

    def load_lane(self, endpoint_id: str, subject_id: str) -> Lane:
        item = self._get(ok.lane_key(endpoint_id, subject_id))
        return ok.lane_from_item(item) if item else Lane(endpoint_id, subject_id)

    def put_lane(self, lane: Lane, expected_version: int) -> None:
        stored = Lane(lane.endpoint_id, lane.subject_id, lane.queue, expected_version + 1)
        self._put(ok.lane_item(stored), expected_version or None)

    def load_endpoint(self, endpoint_id: str) -> Endpoint | None:
        item = self._get(ok.endpoint_key(endpoint_id))
        return ok.endpoint_from_item(item) if item else None

    def endpoints_of(self, owner: str) -> list[Endpoint]:
        params = {"IndexName": keys.GSI1, "KeyConditionExpression": "GSI1PK = :pk",
                  "ExpressionAttributeValues": keys.to_attrs({":pk": ok.endpoints_gsi_pk(owner)})}
        found = []
        while True:
            page = self._call("query", TableName=self._table, **params)
            found += [ok.endpoint_from_item(keys.from_attrs(i)) for i in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return found
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def put_endpoint(self, endpoint: Endpoint, expected_version: int | None) -> None:
        self._put(ok.endpoint_item(endpoint), expected_version)

    def delete_endpoint(self, endpoint_id: str) -> None:
        self._call("delete_item", TableName=self._table, Key=keys.to_attrs(ok.endpoint_key(endpoint_id)))

    def _get(self, key: dict) -> dict | None:
        found = self._call("get_item", TableName=self._table, Key=keys.to_attrs(key),
                           ConsistentRead=True)
        return keys.from_attrs(found["Item"]) if "Item" in found else None

    def _put(self, item: dict, expected_version: int | None) -> None:
        params = {"TableName": self._table, "Item": keys.to_attrs(item)}
        if expected_version is None:
            params["ConditionExpression"] = MUST_BE_NEW
        else:
            params["ConditionExpression"] = VERSION_IS
            params["ExpressionAttributeValues"] = keys.to_attrs({":expected": expected_version})
        try:
            self._client.put_item(**params)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise ConcurrencyError(f"{item['PK']} moved on") from exc
            raise DependencyError(f"DynamoDB put_item failed: {type(exc).__name__}") from exc
        except BotoCoreError as exc:
            raise DependencyError(f"DynamoDB unreachable: {type(exc).__name__}") from exc

    def _call(self, operation: str, **params) -> dict:
        try:
            return getattr(self._client, operation)(**params)
        except (ClientError, BotoCoreError) as exc:
            raise DependencyError(f"DynamoDB {operation} failed: {type(exc).__name__}") from exc
