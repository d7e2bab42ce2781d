"""A local stack whose marketplace endpoint is a test receiver, plus a hand on its moto server.

The receiver is a real threaded http.server that verifies every signature with standardwebhooks.
"""
from __future__ import annotations

import base64
import contextlib
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import requests
import yaml

from chalicelib.local.receiver import Receiver

from .conftest import ROOT, Stack

MARKETPLACE_SECRET = "whsec_" + base64.b64encode(b"e2e-marketplace-endpoint-01").decode()


@dataclass
class NoticeStack:
    url: str
    moto_port: int
    marketplace: Receiver  # cmsmart's endpoint (tenants file)

    def advance(self, seconds: int) -> dict:
        return requests.post(f"{self.url}/_local/clock", json={"advance_seconds": seconds},
                             timeout=120).json()

    def commit_notices(self, hook: str, *notices) -> None:
        """What the decision code does: a change carrying notices, committed into the table."""
        from chalicelib.adapters.dynamo.store import DynamoTicketStore
        from chalicelib.domain.events import Delivery
        from chalicelib.services.ports import Change
        import boto3
        dynamodb = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{self.moto_port}",
                                region_name="eu-west-1", aws_access_key_id="local",
                                aws_secret_access_key="local")
        DynamoTicketStore(dynamodb, "ticketwarden").commit(
            Change(Delivery("cmsmart", hook, "h", "test"), {}, datetime.now(timezone.utc),
                   notices=notices))


def wait_until(condition, seconds: float = 10.0, step: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(step)
    raise AssertionError(f"not within {seconds} s")


@contextlib.contextmanager
def notice_stack(tmp_path: Path):
    receiver = Receiver(secrets=[MARKETPLACE_SECRET])
    receiver_port = receiver.start()
    tenants = yaml.safe_load((ROOT / "examples" / "tenants.yaml").read_text())
    for marketplace in ("cmsmart", "crmjetty", "prestashop"):  # one receiver for all three
        tenants["marketplaces"][marketplace]["endpoints"] = [
            {"url": f"http://127.0.0.1:{receiver_port}/{marketplace}", "secret": MARKETPLACE_SECRET}]
    path = tmp_path / "tenants.yaml"
    path.write_text(yaml.safe_dump(tenants))
    try:
        with Stack(tmp_path / "state", tenants=path) as stack:  # never the repository's state
            yield NoticeStack(stack.url, stack.moto_port, receiver)
    finally:
        receiver.stop()
