"""KMS vault, SSM signing secrets and the operator CLI, on moto."""
from __future__ import annotations

from datetime import datetime, timezone

import boto3
import pytest
from moto import mock_aws

from chalicelib import cli
from chalicelib.adapters.dynamo.schema import create_table
from chalicelib.adapters.dynamo.tenants import DynamoTenants
from chalicelib.adapters.kms_vault import KmsVault, ensure_key
from chalicelib.adapters.ssm_secrets import SsmSecrets
from chalicelib.domain.errors import DependencyError
from chalicelib.domain.model import Marketplace, Seller
from chalicelib.services.secrets import TenantsWithSecrets
from chalicelib.services.status import hash_api_key

PATH = "/ticketwarden/test/marketplaces"
AT = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)


@pytest.fixture
def aws(aws_env, monkeypatch):
    monkeypatch.setenv("TICKETWARDEN_TABLE", "tw-cli")
    monkeypatch.setenv("TICKETWARDEN_SECRETS_PATH", PATH)
    with mock_aws():
        yield


def test_the_vault_round_trips_and_binds_each_ciphertext_to_its_ticket(aws):
    kms = boto3.client("kms")
    vault = KmsVault(kms, ensure_key(kms, "alias/test-vault"))
    sealed = vault.seal("tkt_a", "hunter2!")
    assert "hunter2" not in sealed and vault.open("tkt_a", sealed) == "hunter2!"
    with pytest.raises(DependencyError):
        vault.open("tkt_b", sealed)


def test_a_missing_vault_key_is_a_dependency_error(aws):
    with pytest.raises(DependencyError):
        KmsVault(boto3.client("kms"), "alias/missing").seal("tkt_a", "x")


def test_secrets_rotate_with_two_active_and_a_cache(aws):
    ticks = iter(range(0, 10_000, 100))
    store = SsmSecrets(boto3.client("ssm"), PATH, cache_seconds=150, monotonic=lambda: next(ticks))
    store.add("cmsmart", "whsec_b2xk", AT)
    assert store.active("cmsmart") == ("whsec_b2xk",)
    store.add("cmsmart", "whsec_bmV3", AT.replace(hour=10))
    assert store.active("cmsmart") == ("whsec_b2xk", "whsec_bmV3")  # rotation: both verify
    assert store.retire("cmsmart", keep=1)[0].startswith(f"{PATH}/cmsmart/")
    assert store.active("cmsmart") == ("whsec_bmV3",)


def test_marketplaces_take_their_secrets_from_ssm(aws):
    dynamodb = boto3.client("dynamodb")
    create_table(dynamodb, "tw-cli")
    tenants = DynamoTenants(dynamodb, "tw-cli")
    tenants.put_marketplace(Marketplace("cmsmart", "cmsmart", ()))
    secrets = SsmSecrets(boto3.client("ssm"), PATH)
    secrets.add("cmsmart", "whsec_c2VjcmV0", AT)
    assert TenantsWithSecrets(tenants, secrets).marketplace("cmsmart").secrets == ("whsec_c2VjcmV0",)
    assert TenantsWithSecrets(tenants, secrets).marketplace("nowhere") is None


def test_the_cli_creates_lists_and_revokes_api_keys(aws, capsys):
    dynamodb = boto3.client("dynamodb")
    create_table(dynamodb, "tw-cli")
    DynamoTenants(dynamodb, "tw-cli").put_seller(Seller("acme"))
    cli.main(["keys", "create", "acme"])
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("tw_") and len(key) > 40
    fresh = DynamoTenants(dynamodb, "tw-cli", cache_seconds=0)
    assert fresh.seller_for_key_hash(hash_api_key(key)).seller_id == "acme"
    assert key not in str(dynamodb.scan(TableName="tw-cli")["Items"])
    cli.main(["keys", "list", "acme"])
    assert hash_api_key(key)[:12] in capsys.readouterr().out
    cli.main(["keys", "revoke", "acme", hash_api_key(key)[:10]])
    assert fresh.seller_for_key_hash(hash_api_key(key)) is None


def test_the_cli_refuses_an_ambiguous_or_short_prefix(aws):
    dynamodb = boto3.client("dynamodb")
    create_table(dynamodb, "tw-cli")
    DynamoTenants(dynamodb, "tw-cli").put_seller(Seller("acme"))
    with pytest.raises(SystemExit):
        cli.main(["keys", "revoke", "acme", "ab"])
    with pytest.raises(SystemExit):
        cli.main(["keys", "create", "nobody"])


def test_the_cli_rotates_signing_secrets_keeping_two(aws, capsys):
    dynamodb = boto3.client("dynamodb")
    create_table(dynamodb, "tw-cli")
    DynamoTenants(dynamodb, "tw-cli").put_marketplace(Marketplace("cmsmart", "cmsmart", ()))
    for _ in range(3):
        cli.main(["secrets", "rotate", "cmsmart"])
    printed = capsys.readouterr().out
    assert printed.count("whsec_") == 3
    assert len(SsmSecrets(boto3.client("ssm"), PATH).names("cmsmart")) == 2


def test_the_cli_refuses_to_rotate_a_secret_of_an_unknown_marketplace(aws, capsys):
    create_table(boto3.client("dynamodb"), "tw-cli")
    with pytest.raises(SystemExit, match="unknown marketplace 'cmsmrat'"):
        cli.main(["secrets", "rotate", "cmsmrat"])
    assert SsmSecrets(boto3.client("ssm"), PATH).names("cmsmrat") == []
    assert "whsec_" not in capsys.readouterr().out
