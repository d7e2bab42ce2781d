"""The table, schedule group, vault key and tenants of local mode, in the embedded AWS."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from chalicelib.adapters.aws import client
from chalicelib.adapters.dynamo.schema import create_table
from chalicelib.adapters.dynamo.tenants import DynamoTenants
from chalicelib.adapters.kms_vault import ensure_key
from chalicelib.adapters.scheduler import ensure_group
from chalicelib.adapters.ssm_secrets import SsmSecrets
from chalicelib.settings import Settings

from . import endpoints_seed, tenants_file

SEEDED_AT = datetime(2026, 1, 1, tzinfo=timezone.utc)


def seed(tenants: tenants_file.TenantsFile, path: Path, settings: Settings, *,
         only_new: bool) -> None:
    """On restored state only tenants the state lacks are added: rotated secrets and keys stay."""
    dynamodb = client("dynamodb")
    create_table(dynamodb, settings.table_name)
    ensure_group(client("scheduler"), settings.schedule_group)
    ensure_key(client("kms"), settings.vault_key_id)
    directory = DynamoTenants(dynamodb, settings.table_name, cache_seconds=0)
    secrets = SsmSecrets(client("ssm"), settings.secrets_path, cache_seconds=0)
    added_markets = added_sellers = 0
    for marketplace in tenants_file.marketplaces(tenants):
        if only_new and directory.marketplace(marketplace.name) is not None:
            continue
        directory.put_marketplace(replace(marketplace, secrets=()))  # secrets live in SSM
        secrets.retire(marketplace.name, keep=0)
        for n, secret in enumerate(marketplace.secrets):
            secrets.add(marketplace.name, secret, SEEDED_AT + timedelta(seconds=n))
        added_markets += 1
    for seller, key_hashes in tenants_file.sellers(tenants):
        if only_new and directory.seller(seller.seller_id) is not None:
            continue
        directory.put_seller(seller, key_hashes)
        added_sellers += 1
    endpoints_seed.seed(tenants, settings)  # marketplace endpoints (notices)
    what = "added" if only_new else "seeded"
    print(f"tenants: {what} {added_markets} marketplaces, {added_sellers} sellers from {path}",
          flush=True)
