"""Talking to the local stack as a marketplace and a seller would: real HTTP, real signatures."""
from __future__ import annotations

from pathlib import Path

import requests
import yaml

from tests.builders import encode, signed_headers

TENANTS = yaml.safe_load((Path(__file__).resolve().parents[2] / "examples" / "tenants.yaml").read_text())


def secret(marketplace: str) -> str:
    return TENANTS["marketplaces"][marketplace]["secrets"][0]


def api_key(seller: str) -> str:
    return TENANTS["sellers"][seller]["api_keys"][0]


def send(url: str, marketplace: str, event, *, webhook_id: str | None = None) -> requests.Response:
    body = encode(event)
    headers = signed_headers(body, secret=secret(marketplace), webhook_id=webhook_id)
    return requests.post(f"{url}/webhooks/{marketplace}", data=body, headers=headers, timeout=30)


def read(url: str, path: str, seller: str) -> requests.Response:
    return requests.get(f"{url}{path}", headers={"Authorization": f"Bearer {api_key(seller)}"}, timeout=30)
