"""Marketplace signing secrets in SSM Parameter Store (SecureString), cached with a TTL.

One parameter per secret: <path>/<marketplace>/<UTC timestamp>. Every stored secret is
active; a rotation adds one and retires all but the newest `keep` (default 2), so during a
rotation the old and the new secret both verify.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.domain.errors import DependencyError

CACHE_SECONDS = 300.0


class SsmSecrets:
    def __init__(self, client, path: str, cache_seconds: float = CACHE_SECONDS,
                 monotonic=time.monotonic):
        self._client = client
        self._path = path.rstrip("/")
        self._ttl = cache_seconds
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, tuple[str, ...]]] = {}

    def active(self, marketplace: str) -> tuple[str, ...]:
        cached = self._cache.get(marketplace)
        if cached and self._monotonic() - cached[0] < self._ttl:
            return cached[1]
        values = tuple(value for _, value in self._parameters(marketplace))
        self._cache[marketplace] = (self._monotonic(), values)
        return values

    def names(self, marketplace: str) -> list[str]:
        return [name for name, _ in self._parameters(marketplace)]

    def add(self, marketplace: str, secret: str, at: datetime) -> str:
        name = f"{self._path}/{marketplace}/{at.astimezone(timezone.utc):%Y%m%dT%H%M%S%fZ}"
        self._call("put_parameter", Name=name, Value=secret, Type="SecureString", Overwrite=False)
        self._cache.pop(marketplace, None)
        return name

    def retire(self, marketplace: str, keep: int) -> list[str]:
        """Delete all but the newest `keep` secrets; returns the deleted parameter names."""
        names = self.names(marketplace)
        retired = names[:-keep] if keep else names
        for name in retired:
            self._call("delete_parameter", Name=name)
        self._cache.pop(marketplace, None)
        return retired

    def _parameters(self, marketplace: str) -> list[tuple[str, str]]:
        found, params = [], {"Path": f"{self._path}/{marketplace}/", "WithDecryption": True}
        while True:
            page = self._call("get_parameters_by_path", **params)
            found += [(p["Name"], p["Value"]) for p in page.get("Parameters", [])]
            if not page.get("NextToken"):
                return sorted(found)
            params["NextToken"] = page["NextToken"]

    def _call(self, operation: str, **params) -> dict:
        try:
            return getattr(self._client, operation)(**params)
        except (ClientError, BotoCoreError) as exc:
            raise DependencyError(f"SSM {operation} failed: {type(exc).__name__}") from exc
