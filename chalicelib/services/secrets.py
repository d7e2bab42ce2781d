"""Marketplaces with their signing secrets from a secret store (SSM in production)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from chalicelib.domain.model import Marketplace, Seller

from .ports import TenantDirectory


class SecretSource(Protocol):
    def active(self, marketplace: str) -> tuple[str, ...]: ...


@dataclass
class TenantsWithSecrets:
    tenants: TenantDirectory
    secrets: SecretSource

    def marketplace(self, name: str) -> Marketplace | None:
        found = self.tenants.marketplace(name)
        return replace(found, secrets=self.secrets.active(name)) if found else None

    def seller_for_key_hash(self, key_hash: str) -> Seller | None:
        return self.tenants.seller_for_key_hash(key_hash)

    def seller(self, seller_id: str) -> Seller | None:
        return self.tenants.seller(seller_id)
