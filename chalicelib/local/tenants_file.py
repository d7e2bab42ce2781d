"""The tenants file of local mode (examples/tenants.yaml), validated with clear errors."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from chalicelib.domain.model import Marketplace, Seller
from chalicelib.services.status import hash_api_key

Secret = Annotated[str, StringConstraints(pattern=r"^whsec_[A-Za-z0-9+/=]{8,}$")]
ApiKey = Annotated[str, StringConstraints(min_length=16)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EndpointEntry(_Strict):
    url: Annotated[str, StringConstraints(min_length=8, max_length=2048)]
    secret: Secret


class MarketplaceEntry(_Strict):
    policy: str
    secrets: Annotated[list[Secret], Field(min_length=1)]
    endpoints: Annotated[list[EndpointEntry], Field(max_length=10)] = []  # action.requested goes here


class SellerEntry(_Strict):
    api_keys: list[ApiKey] = []
    policy: str | None = None


class TenantsFile(_Strict):
    marketplaces: dict[str, MarketplaceEntry]
    sellers: dict[str, SellerEntry] = {}


def load(path: Path) -> TenantsFile:
    try:
        raw = yaml.safe_load(path.read_text())
        return TenantsFile.model_validate(raw or {})
    except (OSError, yaml.YAMLError) as exc:
        raise SystemExit(f"{path}: cannot read tenants file: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise SystemExit(f"{path}: invalid tenants file: {problems}") from exc


def marketplaces(tenants: TenantsFile) -> list[Marketplace]:
    return [Marketplace(name=name, policy=entry.policy, secrets=tuple(entry.secrets))
            for name, entry in tenants.marketplaces.items()]


def sellers(tenants: TenantsFile) -> list[tuple[Seller, tuple[str, ...]]]:
    return [(Seller(seller_id=name, policy=entry.policy),
             tuple(hash_api_key(k) for k in entry.api_keys))
            for name, entry in tenants.sellers.items()]


def marketplace_endpoints(tenants: TenantsFile) -> list[tuple[str, str, str]]:
    """(marketplace, url, secret) of each endpoint that receives the marketplace's notices."""
    return [(name, e.url, e.secret) for name, entry in tenants.marketplaces.items()
            for e in entry.endpoints]
