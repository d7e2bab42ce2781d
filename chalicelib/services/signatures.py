"""Standard Webhooks verification against every active secret of a marketplace.

The scheme (HMAC input, secret format) comes from the `standardwebhooks` package; we own
the clock (injected, so the tolerance is testable) and the header parsing (so that any
malformed header is a clean SignatureError, never an exception from deep inside).
"""
from __future__ import annotations

import base64
import binascii
import hmac
from datetime import datetime, timezone
from typing import Mapping

from standardwebhooks.webhooks import Webhook

from chalicelib.domain.errors import SignatureError

TOLERANCE_SECONDS = 5 * 60
MAX_ID_LENGTH = 256


def verify(body: bytes, headers: Mapping[str, str], secrets: tuple[str, ...], now: datetime) -> str:
    """Return the webhook-id if one v1 signature matches one active secret; else raise."""
    webhook_id, timestamp, signatures = _parse_headers(headers)
    if abs(now.timestamp() - timestamp) > TOLERANCE_SECONDS:
        raise SignatureError("timestamp outside the tolerance")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SignatureError("body is not UTF-8") from exc
    signed_at = datetime.fromtimestamp(timestamp, tz=timezone.utc)
    for secret in secrets:
        expected = _expected_signature(secret, webhook_id, signed_at, text)
        if expected and any(hmac.compare_digest(expected, s) for s in signatures):
            return webhook_id
    raise SignatureError("no matching signature")


def _parse_headers(headers: Mapping[str, str]) -> tuple[str, int, list[bytes]]:
    lowered = {k.lower(): v for k, v in headers.items()}
    webhook_id = lowered.get("webhook-id", "").strip()
    raw_timestamp = lowered.get("webhook-timestamp", "").strip()
    raw_signature = lowered.get("webhook-signature", "")
    if not webhook_id or len(webhook_id) > MAX_ID_LENGTH or not raw_timestamp.isdigit():
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


def _expected_signature(secret: str, webhook_id: str, signed_at: datetime, text: str) -> bytes | None:
    try:
        signature = Webhook(secret).sign(msg_id=webhook_id, timestamp=signed_at, data=text)
    except Exception:  # a broken stored secret must not become a 500 or a bypass
        return None
    return base64.b64decode(signature.split(",", 1)[1])
