"""Standard Webhooks verification against every active secret of a marketplace.

HMAC-SHA256 over `{id}.{timestamp}.{raw body}` with the base64 secret after `whsec_`: the
scheme the `standardwebhooks` package signs with (our tests sign with it). We verify over the
raw bytes (a body that is not UTF-8 is then the schema's 400, not a bad signature), own the
clock (injected, so the tolerance is testable) and parse the headers strictly, so a
malformed header is a clean SignatureError, never an exception from deep inside.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import hashlib
from datetime import datetime
from typing import Mapping

from chalicelib.domain.errors import SignatureError

TOLERANCE_SECONDS = 5 * 60
MAX_ID_LENGTH = 256


def verify(body: bytes, headers: Mapping[str, str], secrets: tuple[str, ...], now: datetime) -> str:
    """Return the webhook-id if one v1 signature matches one active secret; else raise."""
    webhook_id, timestamp, signatures = _parse_headers(headers)
    if abs(now.timestamp() - timestamp) > TOLERANCE_SECONDS:
        raise SignatureError("timestamp outside the tolerance")
    signed_content = f"{webhook_id}.{timestamp}.".encode() + body
    for secret in secrets:
        expected = _expected_signature(secret, signed_content)
        if expected and any(hmac.compare_digest(expected, s) for s in signatures):
            return webhook_id
    raise SignatureError("no matching signature")


def _parse_headers(headers: Mapping[str, str]) -> tuple[str, int, list[bytes]]:
    lowered = {k.lower(): v for k, v in headers.items()}
    webhook_id = lowered.get("webhook-id", "").strip()
    raw_timestamp = lowered.get("webhook-timestamp", "").strip()
    raw_signature = lowered.get("webhook-signature", "")
    if (not webhook_id or len(webhook_id) > MAX_ID_LENGTH or not raw_timestamp.isascii()
            or not raw_timestamp.isdigit() or len(raw_timestamp) > 12):
        raise SignatureError("missing or malformed signature headers")
    signatures = [_decode_v1(entry) for entry in raw_signature.split()]
    signatures = [s for s in signatures if s]
    if not signatures:
        raise SignatureError("missing or malformed signature headers")
    return webhook_id, int(raw_timestamp), signatures


def _decode_v1(entry: str) -> bytes | None:
    version, _, value = entry.partition(",")
    if version != "v1" or not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def _expected_signature(secret: str, signed_content: bytes) -> bytes | None:
    """None for a broken stored secret: it must not become a 500 or a bypass."""
    try:
        key = base64.b64decode(secret.removeprefix("whsec_") + "==")
    except (binascii.Error, ValueError):
        return None
    return hmac.new(key, signed_content, hashlib.sha256).digest() if key else None
