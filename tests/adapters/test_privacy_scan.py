"""CRJ-3 done-when: 1,000 tickets with planted credentials leave no plaintext anywhere, and
no vault item once they are closed. DynamoDB and KMS on moto, logs captured."""
from __future__ import annotations

import json
import os
import logging
import secrets as random_secrets
from datetime import timedelta

import boto3
import pytest

pytestmark = pytest.mark.xdist_group("privacy-scan")
from moto import mock_aws

from chalicelib.api import direct
from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys, outbound_keys
from chalicelib.adapters.dynamo.schema import create_table
from chalicelib.adapters.dynamo.store import DynamoTicketStore
from chalicelib.adapters.kms_vault import KmsVault, ensure_key
from chalicelib.adapters.memory_timers import InMemoryTimers
from chalicelib.local import moto_dynamodb
from chalicelib.services.clock import FixedClock
from chalicelib.settings import Settings
from tests import fakes
from tests.builders import T0, message_event, thread_closed_event

TICKETS = int(os.environ.get("PRIVACY_SCAN_TICKETS", 1000))
TEMPLATES = ("Hello, here is our FTP access: host ftp.shop.example user shopftp password {s}. "
             "Can you check why the module fails?",
             "Bonjour, le mot de passe admin est {s} (identifiant : admin). Pouvez-vous regarder ?",
             "Try https://admin:{s}@shop.example/admin please, what is wrong with the cart?")


@pytest.fixture
def wiring(aws_env):
    moto_dynamodb.install()
    try:
        with mock_aws():
            dynamodb, kms = boto3.client("dynamodb"), boto3.client("kms")
            create_table(dynamodb, "privacy")
            ensure_key(kms, "alias/privacy-vault")
            yield bootstrap.build(settings=Settings(), store=DynamoTicketStore(dynamodb, "privacy"),
                                  tenants=fakes.tenants(), scheduler=InMemoryTimers(),
                                  clock=FixedClock(T0), vault=KmsVault(kms, "alias/privacy-vault")), dynamodb
    finally:
        moto_dynamodb.uninstall()


def deliver(services, event: dict, n: int):
    return direct.deliver(services, event, "cmsmart", f"wh-{n}").response


def everything_stored(dynamodb) -> str:
    """Every item as text; the outbox's compressed notices and the delivery records' compressed
    answers are expanded, so the scan sees them."""
    items, params = [], {"TableName": "privacy"}
    while True:
        page = dynamodb.scan(**params)
        items += [readable(i) for i in page["Items"]]
        if "LastEvaluatedKey" not in page:
            assert any("notices" in i for i in items), "no outbox item: the scan proves less"
            return json.dumps(items)
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def readable(item: dict) -> dict:
    if item.get("type", {}).get("S") == "delivery":
        return {**item, "response_z": keys.delivery_response(keys.from_attrs(item))}
    if item.get("type", {}).get("S") != outbound_keys.OUTBOX:
        return item
    notices = outbound_keys.notices_from_outbox(keys.from_attrs(item))
    return {**item, "notices": [outbound_keys.notice_dict(n) for n in notices]}


def test_crj_3_planted_credentials_never_reach_the_table_or_the_logs(wiring, caplog):
    services, dynamodb = wiring
    caplog.set_level(logging.DEBUG, logger="ticketwarden")
    planted = [f"Pw{random_secrets.token_hex(6)}!" for _ in range(TICKETS)]
    for n, secret in enumerate(planted):
        event = message_event(thread_id=f"t{n}", customer_id=f"c{n}",
                              body=TEMPLATES[n % len(TEMPLATES)].format(s=secret),
                              at=T0 + timedelta(seconds=n))
        response = deliver(services, event, n)
        assert response["ticket"]["credentials_shared"] >= 1, response
    assert services.store.count_vault_items() >= TICKETS

    stored, logged = everything_stored(dynamodb), "\n".join(
        f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    leaked = [s for s in planted if s in stored or s in logged]
    assert leaked == []

    for n in range(TICKETS):
        deliver(services, thread_closed_event(thread_id=f"t{n}", at=T0 + timedelta(days=1)), TICKETS + n)
    assert services.store.count_vault_items() == 0
    stored = everything_stored(dynamodb)
    assert [s for s in planted if s in stored] == []
