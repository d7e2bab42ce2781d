"""Local mode: the marketplace endpoints of the tenants file, stored as the operator CLI would."""
from __future__ import annotations

from chalicelib.cli_endpoints import operator_endpoints
from chalicelib.settings import Settings

from . import tenants_file


def seed(tenants: tenants_file.TenantsFile, settings: Settings) -> int:
    service = operator_endpoints(settings)
    found = tenants_file.marketplace_endpoints(tenants)
    for marketplace, url, secret in found:
        service.put_marketplace_endpoint(marketplace, url, secret)
    return len(found)
