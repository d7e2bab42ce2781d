"""The operator CLI for marketplace endpoints, on moto (table + KMS)."""
from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from chalicelib import cli
from chalicelib.adapters.aws import client
from chalicelib.adapters.dynamo.outbound_store import DynamoOutboundStore
from chalicelib.adapters.dynamo.schema import create_table
from chalicelib.adapters.kms_vault import KmsVault, ensure_key
from chalicelib.services.dispatch import secret_context


@pytest.fixture
def aws(aws_env, monkeypatch):
    monkeypatch.setenv("TICKETWARDEN_TABLE", "ticketwarden-cli")
    with mock_aws():
        client.cache_clear()
        create_table(boto3.client("dynamodb", region_name="eu-west-1"), "ticketwarden-cli")
        ensure_key(boto3.client("kms", region_name="eu-west-1"), "alias/ticketwarden-vault")
        yield
        client.cache_clear()


def test_add_list_remove_a_marketplace_endpoint(aws, capsys):
    cli.main(["endpoints", "add", "cmsmart", "https://8.8.8.8/hooks"])
    printed = capsys.readouterr().out
    endpoint_id, secret = printed.split()[0], printed.split()[-1]
    assert secret.startswith("whsec_")
    stored = DynamoOutboundStore(client("dynamodb"), "ticketwarden-cli").load_endpoint(endpoint_id)
    assert stored.secrets[0].sealed != secret  # encrypted at rest, with the vault's key
    vault = KmsVault(client("kms"), "alias/ticketwarden-vault")
    assert vault.open(secret_context(endpoint_id), stored.secrets[0].sealed) == secret
    cli.main(["endpoints", "list", "cmsmart"])
    assert endpoint_id in capsys.readouterr().out
    cli.main(["endpoints", "remove", "cmsmart", endpoint_id])
    cli.main(["endpoints", "list", "cmsmart"])
    assert capsys.readouterr().out.strip().endswith("(no endpoints)")


def test_a_private_url_is_refused_with_the_reason(aws):
    with pytest.raises(SystemExit, match="private"):
        cli.main(["endpoints", "add", "cmsmart", "https://192.168.1.10/hooks"])
