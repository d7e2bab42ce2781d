"""Which policy profile applies: the seller's own, else its marketplace's (CRJ-11 names it)."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.errors import DependencyError, ProfileError
from chalicelib.policy.catalog import ProfileCatalog
from chalicelib.policy.profile import Profile

from .ports import TenantDirectory


@dataclass
class Profiles:
    tenants: TenantDirectory
    catalog: ProfileCatalog

    def profile_for(self, marketplace: str, seller_id: str) -> Profile:
        seller = self.tenants.seller(seller_id)
        market = self.tenants.marketplace(marketplace)
        name = (seller.policy if seller and seller.policy else None) or (market.policy if market else None)
        try:
            return self.catalog.get(name or "")
        except ProfileError as exc:
            raise DependencyError(f"policy configuration: {exc}") from exc
