"""Local mode: the marketplace endpoints of the tenants file, stored as the operator CLI would."""
from __future__ import annotations

from chalicelib.adapters.aws import client
from chalicelib.adapters.dynamo.outbound_store import DynamoOutboundStore
from chalicelib.adapters.kms_vault import KmsVault
from chalicelib.adapters.url_guard import UrlGuard
from chalicelib.services.clock import SystemClock
from chalicelib.services.endpoints import EndpointService
from chalicelib.settings import Settings

from . import tenants_file


def operator_endpoints(settings: Settings) -> EndpointService:
    """Registration only (no delivery): what seeding and the CLI need."""
    return EndpointService(store=DynamoOutboundStore(client("dynamodb"), settings.table_name),
                           vault=KmsVault(client("kms"), settings.vault_key_id),
                           guard=UrlGuard(allow_local=settings.local_mode), dispatcher=None,
                           clock=SystemClock())


def seed(tenants: tenants_file.TenantsFile, settings: Settings) -> int:
    service = operator_endpoints(settings)
    found = tenants_file.marketplace_endpoints(tenants)
    for marketplace, url, secret in found:
        service.put_marketplace_endpoint(marketplace, url, secret)
    return len(found)
