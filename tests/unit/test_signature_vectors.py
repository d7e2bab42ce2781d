"""The Standard Webhooks vectors (tests/data/reference, see SOURCE.md) against our verifier."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from chalicelib.domain.errors import SignatureError
from chalicelib.services.signatures import verify

VECTORS = Path(__file__).resolve().parents[1] / "data" / "reference" / "webhook_vectors.json"
CASES = json.loads(VECTORS.read_text())["vectors"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_standard_webhooks_vector(case):
    now = datetime.fromtimestamp(case["now"], tz=timezone.utc)
    body = case["body"].encode()
    if case["expected_valid"]:
        assert verify(body, case["headers"], (case["secret"],), now) == case["headers"]["webhook-id"]
    else:
        with pytest.raises(SignatureError):
            verify(body, case["headers"], (case["secret"],), now)


def test_any_active_secret_verifies_during_rotation():
    case = CASES[0]
    now = datetime.fromtimestamp(case["now"], tz=timezone.utc)
    old = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"
    assert verify(case["body"].encode(), case["headers"], (old, case["secret"]), now)


def test_an_empty_secret_list_verifies_nothing():
    case = CASES[0]
    with pytest.raises(SignatureError):
        verify(case["body"].encode(), case["headers"], (), datetime.fromtimestamp(case["now"], tz=timezone.utc))
