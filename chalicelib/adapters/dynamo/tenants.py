"""Marketplaces, sellers and hashed API keys in the table; read-through cache with a TTL."""
from __future__ import annotations

import time

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters import aws_errors
from chalicelib.domain.model import Marketplace, Seller

from . import keys

CACHE_SECONDS = 60.0


class DynamoTenants:
    def __init__(self, client, table_name: str, cache_seconds: float = CACHE_SECONDS,
                 monotonic=time.monotonic):
        self._client = client
        self._table = table_name
        self._cache: dict[str, tuple[float, dict | None]] = {}
        self._ttl = cache_seconds
        self._monotonic = monotonic

    def marketplace(self, name: str) -> Marketplace | None:
        item = self._get(keys.marketplace_key(name))
        return keys.marketplace_from_item(item) if item else None

    def seller_for_key_hash(self, key_hash: str) -> Seller | None:
        item = self._get(keys.api_key_key(key_hash))
        return self.seller(item["seller_id"]) if item else None

    def seller(self, seller_id: str) -> Seller | None:
        item = self._get(keys.seller_key(seller_id))
        return keys.seller_from_item(item) if item else None

    def _get(self, key: dict) -> dict | None:
        cache_key = key["PK"]
        cached = self._cache.get(cache_key)
        if cached and self._monotonic() - cached[0] < self._ttl:
            return cached[1]
        try:
            found = self._client.get_item(TableName=self._table, Key=keys.to_attrs(key))
        except (ClientError, BotoCoreError) as exc:
            raise aws_errors.translate("DynamoDB", "get_item", exc) from exc
        item = keys.from_attrs(found["Item"]) if "Item" in found else None
        self._cache[cache_key] = (self._monotonic(), item)
        return item

    def put_marketplace(self, marketplace: Marketplace) -> None:
        self._client.put_item(TableName=self._table, Item=keys.to_attrs(keys.marketplace_item(marketplace)))

    def put_seller(self, seller: Seller, key_hashes: tuple[str, ...] = ()) -> None:
        self._client.put_item(TableName=self._table, Item=keys.to_attrs(keys.seller_item(seller)))
        for key_hash in key_hashes:
            self.add_api_key(seller.seller_id, key_hash, "seeded")

    def add_api_key(self, seller_id: str, key_hash: str, created_at: str) -> None:
        self._client.put_item(TableName=self._table, Item=keys.to_attrs(
            keys.api_key_item(key_hash, seller_id, created_at)))

    def api_key_hashes(self, seller_id: str) -> list[tuple[str, str]]:
        """(hash, created_at) of the seller's keys, for listing and revoking."""
        page = self._client.query(
            TableName=self._table, IndexName=keys.GSI1, KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues=keys.to_attrs({":pk": keys.seller_keys_pk(seller_id)}))
        items = [keys.from_attrs(i) for i in page.get("Items", [])]
        return [(i["PK"].removeprefix("APIKEY#"), i["GSI1SK"]) for i in items]

    def revoke_api_key(self, key_hash: str) -> None:
        self._client.delete_item(TableName=self._table, Key=keys.to_attrs(keys.api_key_key(key_hash)))
        self._cache.pop(keys.api_key_key(key_hash)["PK"], None)
